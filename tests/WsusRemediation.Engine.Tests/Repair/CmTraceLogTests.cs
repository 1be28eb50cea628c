using System;
using System.IO;
using System.Linq;
using WsusRemediation.Engine.Logs;
using WsusRemediation.Engine.Repair;
using WsusRemediation.Engine.Tests.Common;
using Xunit;

namespace WsusRemediation.Engine.Tests.Repair;

public class CmTraceLogTests
{
    private static readonly TimeZoneInfo Eastern = TimeZoneInfo.CreateCustomTimeZone("Test Eastern", TimeSpan.FromHours(-5), "Test Eastern", "Test Eastern");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.CreateCustomTimeZone("Test Berlin", TimeSpan.FromHours(1), "Test Berlin", "Test Berlin");

    [Fact]
    public void A_record_is_in_MECMs_format_with_local_time_and_its_bias()
    {
        var at = new DateTimeOffset(2026, 11, 10, 14, 3, 22, 123, TimeSpan.Zero);

        Assert.Equal(
            "<![LOG[Step 1 TunePool: Done]LOG]!><time=\"09:03:22.123+300\" date=\"11-10-2026\" component=\"WsusRemediation\" context=\"\" type=\"1\" thread=\"7\" file=\"\">\r\n",
            CmTraceLog.Format("Step 1 TunePool: Done", CmTraceSeverity.Information, at, Eastern, "WsusRemediation", 7));
        Assert.Contains("time=\"15:03:22.123-060\"", CmTraceLog.Format("x", CmTraceSeverity.Error, at, Berlin, "c", 1), StringComparison.Ordinal);
        Assert.Contains("type=\"3\"", CmTraceLog.Format("x", CmTraceSeverity.Error, at, Berlin, "c", 1), StringComparison.Ordinal);
    }

    [Fact]
    public void The_reader_gets_back_the_UTC_time_the_severity_and_a_message_holding_the_end_marker_and_line_breaks()
    {
        using var temp = new TempFolder();
        var clock = new VirtualClock();
        var log = new CmTraceLog(Path.Combine(temp.Path, "Logs", "WsusRemediation.log"), clock, Eastern);

        Assert.Null(log.Write("first"));
        clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Null(log.Write("a warning with ]LOG]!> inside\nand a second line", CmTraceSeverity.Warning));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(log.Write("an error", CmTraceSeverity.Error));

        var entries = EvidenceReader.ReadFile(log.Path).ToList();

        Assert.Equal(3, entries.Count);
        Assert.Equal(new VirtualClock().UtcNow.UtcDateTime, entries[0].TimeUtc);
        Assert.Equal(clock.UtcNow.UtcDateTime, entries[2].TimeUtc);
        Assert.Equal("first", entries[0].Message);
        Assert.StartsWith("a warning with", entries[1].Message, StringComparison.Ordinal);
        Assert.Contains("second line", entries[1].Message, StringComparison.Ordinal);
        Assert.Equal(LogSeverity.Warning, entries[1].Severity);
        Assert.Equal(LogSeverity.Error, entries[2].Severity);
        Assert.All(entries, e => Assert.Equal("WsusRemediation", e.Component));
    }

    [Fact]
    public void Past_its_cap_the_log_rolls_to_lo_underscore_and_the_reader_reads_both_in_order()
    {
        using var temp = new TempFolder();
        var clock = new VirtualClock();
        var log = new CmTraceLog(Path.Combine(temp.Path, "WsusRemediation.log"), clock, TimeZoneInfo.Utc, maxBytes: 4096);

        for (var i = 0; i < 100; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Null(log.Write($"record {i:000} " + new string('x', 100)));
        }

        Assert.True(File.Exists(log.RolloverPath));
        Assert.True(new FileInfo(log.Path).Length <= 4096);
        Assert.True(new FileInfo(log.RolloverPath).Length <= 4096);

        var entries = EvidenceReader.Read(new[] { temp.Path }).ToList();
        var numbers = entries.Select(e => int.Parse(e.Message.Substring(7, 3), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(99, numbers[^1]);
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers); // the older records rolled out, none lost between the two files
        Assert.True(numbers.Count >= 20, $"{numbers.Count} records kept"); // two files of about 16 records each
    }

    [Fact]
    public void A_log_that_cannot_be_written_is_reported_not_thrown()
    {
        using var temp = new TempFolder();
        var blocker = Path.Combine(temp.Path, "file");
        File.WriteAllText(blocker, "not a folder");
        var log = new CmTraceLog(Path.Combine(blocker, "WsusRemediation.log"), new VirtualClock());

        var failure = log.Write("x");

        Assert.NotNull(failure);
        Assert.Contains(log.Path, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_path_is_under_ProgramData_WsusRemediation_Logs()
    {
        Assert.EndsWith(Path.Combine("WsusRemediation", "Logs", "WsusRemediation.log"), CmTraceLog.DefaultPath, StringComparison.Ordinal);
        Assert.StartsWith(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), CmTraceLog.DefaultPath, StringComparison.Ordinal);
    }
}
