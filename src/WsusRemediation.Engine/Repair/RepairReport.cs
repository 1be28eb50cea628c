using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Diagnosis;
using WsusRemediation.Engine.Sync;

namespace WsusRemediation.Engine.Repair
{
    /// <summary>
    /// The JSON form of a <see cref="WsusRepairResult"/> (-ReportPath), written without a package.
    /// Anything that looks like a secret is removed first: <c>[enc:…:enc]</c> values, password
    /// attributes and <c>password=…</c> pairs (evidence lines can quote configuration).
    /// </summary>
    public static class RepairReport
    {
        private static readonly Regex Encrypted = new Regex(@"\[enc:.*?:enc\]", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        private static readonly Regex PasswordPair = new Regex(@"(?<key>\b\w*(password|pwd)\w*\s*(=|:)\s*)(?<q>[""']?)(?<value>[^""'\s;,]*)\k<q>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>Removes secrets from a text.</summary>
        public static string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? string.Empty;
            }

            var result = Encrypted.Replace(text!, "[enc:(removed):enc]");
            return PasswordPair.Replace(result, m => m.Groups["key"].Value + m.Groups["q"].Value + "(removed)" + m.Groups["q"].Value);
        }

        /// <summary>The report as JSON text.</summary>
        public static string ToJson(WsusRepairResult result)
        {
            if (result is null)
            {
                throw new ArgumentNullException(nameof(result));
            }

            var json = new JsonText();
            json.BeginObject();
            json.Property("ComputerName", result.ComputerName);
            json.Property("Succeeded", result.Succeeded);
            json.Property("Summary", result.Summary);
            json.Property("StartTime", result.StartTime);
            json.Seconds("DurationSeconds", result.Duration.TotalSeconds);
            json.Property("RolledBack", result.RolledBack);
            json.Property("StoppedAt", result.StoppedAt);
            json.Property("BackupPath", result.BackupPath);
            json.Property("ReportPath", result.ReportPath);
            json.Property("LogPath", result.LogPath);
            json.Property("UpdateCount", result.UpdateCount);
            json.Name("SyncStatus");
            WriteStatus(json, result.SyncStatus);
            json.Name("Steps");
            json.BeginArray();
            foreach (var step in result.Steps)
            {
                json.BeginObject();
                json.Property("Order", (long)step.Order);
                json.Property("Name", step.Name.ToString());
                json.Property("Target", step.Target);
                json.Property("Outcome", step.Outcome.ToString());
                json.Property("Before", step.Before);
                json.Property("After", step.After);
                json.Seconds("DurationSeconds", step.Duration.TotalSeconds);
                json.Property("Error", step.Error);
                json.Property("ErrorId", step.ErrorId);
                json.Property("Note", step.Note);
                json.EndObject();
            }

            json.EndArray();
            json.Name("FindingsBefore");
            WriteFindings(json, result.FindingsBefore);
            json.Name("FindingsAfter");
            WriteFindings(json, result.FindingsAfter);
            json.EndObject();
            return json.ToString();
        }

        /// <summary>Writes the report (UTF-8, atomically through the file port) and returns its full path.</summary>
        public static string Write(WsusRepairResult result, string path, IFileStore files)
        {
            if (files is null)
            {
                throw new ArgumentNullException(nameof(files));
            }

            var full = System.IO.Path.GetFullPath(path);
            try
            {
                var folder = System.IO.Path.GetDirectoryName(full);
                if (!string.IsNullOrEmpty(folder))
                {
                    files.CreateDirectory(folder!);
                }

                files.WriteAllBytesDurably(full, new UTF8Encoding(false).GetBytes(ToJson(result)));
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new WsusRemediationException("ReportWriteFailed", EngineErrorKind.WriteError, $"The report could not be written to '{path}': {ex.Message}", path, ex);
            }

            return full;
        }

        private static void WriteStatus(JsonText json, WsusSyncStatus? status)
        {
            if (status is null)
            {
                json.Null();
                return;
            }

            json.BeginObject();
            json.Property("State", status.State.ToString());
            json.Property("LastResult", status.LastResult.ToString());
            json.Property("LastStartTime", status.LastStartTime);
            json.Property("LastEndTime", status.LastEndTime);
            json.Property("LastSuccessTime", status.LastSuccessTime);
            json.Property("LastError", status.LastError);
            json.Property("ErrorText", status.ErrorText);
            json.Property("CancelledOrFailedStreak", (long)status.CancelledOrFailedStreak);
            json.Property("ConfigMgrUpdateCount", status.ConfigMgrUpdateCount);
            json.Property("Health", status.Health.ToString());
            json.Property("HealthReason", status.HealthReason);
            json.EndObject();
        }

        private static void WriteFindings(JsonText json, IReadOnlyList<WsusSyncFinding> findings)
        {
            json.BeginArray();
            foreach (var finding in findings)
            {
                json.BeginObject();
                json.Property("Id", finding.Id);
                json.Property("Severity", finding.Severity.ToString());
                json.Property("Title", finding.Title);
                json.Property("Cause", finding.Cause);
                json.Property("Fix", finding.Fix);
                json.Property("RepairStep", finding.RepairStep.ToString());
                json.Property("CausedBy", finding.CausedBy);
                json.Property("FirstSeen", finding.FirstSeen);
                json.Property("LastSeen", finding.LastSeen);
                json.Name("Evidence");
                json.BeginArray();
                foreach (var evidence in finding.Evidence)
                {
                    json.BeginObject();
                    json.Property("Source", evidence.Source);
                    json.Property("Line", evidence.Line);
                    json.Property("TimeUtc", evidence.TimeUtc);
                    json.Property("Text", evidence.Text);
                    json.EndObject();
                }

                json.EndArray();
                json.EndObject();
            }

            json.EndArray();
        }

        /// <summary>A minimal indented JSON writer; every string goes through <see cref="Redact"/>.</summary>
        private sealed class JsonText
        {
            private readonly StringBuilder _text = new StringBuilder();
            private readonly Stack<bool> _first = new Stack<bool>();
            private bool _afterName;

            public void BeginObject() => Open('{');

            public void EndObject() => Close('}');

            public void BeginArray() => Open('[');

            public void EndArray() => Close(']');

            public void Name(string name)
            {
                Separator();
                _text.Append(Quote(name)).Append(": ");
                _afterName = true;
            }

            public void Property(string name, string? value)
            {
                Name(name);
                Raw(value is null ? "null" : Quote(Redact(value)));
            }

            public void Property(string name, bool value)
            {
                Name(name);
                Raw(value ? "true" : "false");
            }

            public void Property(string name, long? value)
            {
                Name(name);
                Raw(value?.ToString(CultureInfo.InvariantCulture) ?? "null");
            }

            public void Seconds(string name, double value)
            {
                Name(name);
                Raw(Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture));
            }

            public void Property(string name, DateTime? value)
            {
                Name(name);
                Raw(value is { } v ? Quote(DateTime.SpecifyKind(v, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)) : "null");
            }

            public void Null() => Raw("null");

            public override string ToString() => _text.ToString() + "\n";

            private void Open(char bracket)
            {
                Raw(bracket.ToString());
                _first.Push(true);
            }

            private void Close(char bracket)
            {
                var empty = _first.Pop();
                if (!empty)
                {
                    _text.Append('\n').Append(' ', _first.Count * 2);
                }

                _text.Append(bracket);
            }

            private void Raw(string value)
            {
                if (!_afterName)
                {
                    Separator();
                }

                _afterName = false;
                _text.Append(value);
            }

            private void Separator()
            {
                if (_first.Count == 0)
                {
                    return;
                }

                if (!_first.Pop())
                {
                    _text.Append(',');
                }

                _first.Push(false);
                _text.Append('\n').Append(' ', _first.Count * 2);
            }

            private static string Quote(string value)
            {
                var builder = new StringBuilder(value.Length + 2).Append('"');
                foreach (var c in value)
                {
                    switch (c)
                    {
                        case '"': builder.Append("\\\""); break;
                        case '\\': builder.Append("\\\\"); break;
                        case '\n': builder.Append("\\n"); break;
                        case '\r': builder.Append("\\r"); break;
                        case '\t': builder.Append("\\t"); break;
                        default:
                            if (c < 0x20)
                            {
                                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                            }
                            else
                            {
                                builder.Append(c);
                            }

                            break;
                    }
                }

                return builder.Append('"').ToString();
            }
        }
    }
}
