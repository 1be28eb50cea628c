using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace WsusRemediation.HelpBuilder
{
    /// <summary>
    /// Writes MAML as Get-Help reads it from a module's en-US folder: the platyPS layout, element for
    /// element. The output depends only on the pages, so a rebuild gives the same bytes.
    /// </summary>
    public static class MamlWriter
    {
        public const string MshNamespace = "http://msh";
        public const string MamlNamespace = "http://schemas.microsoft.com/maml/2004/10";
        public const string CommandNamespace = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public const string DevNamespace = "http://schemas.microsoft.com/maml/dev/2004/10";
        public const string MsHelpNamespace = "http://msdn.microsoft.com/mshelp";

        public static readonly Encoding FileEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

        public static byte[] Write(IEnumerable<CommandHelp> commands)
        {
            var settings = new XmlWriterSettings
            {
                Encoding = FileEncoding,
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Replace,
            };

            using var stream = new MemoryStream();
            using (var xml = XmlWriter.Create(stream, settings))
            {
                xml.WriteStartDocument();
                xml.WriteStartElement("helpItems", MshNamespace);
                xml.WriteAttributeString("schema", "maml");
                foreach (var command in commands.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
                {
                    WriteCommand(xml, command);
                }

                xml.WriteEndElement();
                xml.WriteEndDocument();
            }

            var bytes = stream.ToArray();
            var newline = (byte)'\n';
            return bytes.Length > 0 && bytes[^1] == newline ? bytes : bytes.Concat(new[] { newline }).ToArray();
        }

        private static void WriteCommand(XmlWriter xml, CommandHelp command)
        {
            xml.WriteStartElement("command", "command", CommandNamespace);
            xml.WriteAttributeString("xmlns", "maml", null, MamlNamespace);
            xml.WriteAttributeString("xmlns", "command", null, CommandNamespace);
            xml.WriteAttributeString("xmlns", "dev", null, DevNamespace);
            xml.WriteAttributeString("xmlns", "MSHelp", null, MsHelpNamespace);

            xml.WriteStartElement("command", "details", CommandNamespace);
            xml.WriteElementString("command", "name", CommandNamespace, command.Name);
            xml.WriteElementString("command", "verb", CommandNamespace, command.Verb);
            xml.WriteElementString("command", "noun", CommandNamespace, command.Noun);
            WriteDescription(xml, new[] { command.Synopsis });
            xml.WriteEndElement();

            WriteDescription(xml, command.Description);

            xml.WriteStartElement("command", "syntax", CommandNamespace);
            foreach (var set in command.Syntax)
            {
                xml.WriteStartElement("command", "syntaxItem", CommandNamespace);
                xml.WriteElementString("maml", "name", MamlNamespace, command.Name);
                foreach (var name in set.ParameterNames)
                {
                    var parameter = command.Parameters.First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                    var metadata = command.Syntax.Count == 1 ? parameter.Metadata[0] : parameter.ForSet(set.ParameterSetName)!;
                    WriteParameter(xml, parameter, metadata);
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("command", "parameters", CommandNamespace);
            foreach (var parameter in command.Parameters)
            {
                WriteParameter(xml, parameter, parameter.Metadata[0]);
            }

            xml.WriteEndElement();

            WriteTypes(xml, "inputTypes", "inputType", command.Inputs);
            WriteTypes(xml, "returnValues", "returnValue", command.Outputs);

            if (command.Notes.Count > 0)
            {
                xml.WriteStartElement("maml", "alertSet", MamlNamespace);
                xml.WriteStartElement("maml", "alert", MamlNamespace);
                WriteParagraphs(xml, command.Notes);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteStartElement("command", "examples", CommandNamespace);
            foreach (var example in command.Examples)
            {
                xml.WriteStartElement("command", "example", CommandNamespace);
                xml.WriteElementString("maml", "title", MamlNamespace, ExampleTitle(example.Title));
                xml.WriteElementString("dev", "code", DevNamespace, example.Code);
                xml.WriteStartElement("dev", "remarks", DevNamespace);
                WriteParagraphs(xml, example.Remarks);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();

            xml.WriteStartElement("command", "relatedLinks", CommandNamespace);
            var links = new List<LinkHelp>();
            if (command.OnlineVersion.Length > 0)
            {
                links.Add(new LinkHelp { Text = "Online Version:", Uri = command.OnlineVersion });
            }

            foreach (var link in links.Concat(command.RelatedLinks))
            {
                xml.WriteStartElement("maml", "navigationLink", MamlNamespace);
                xml.WriteElementString("maml", "linkText", MamlNamespace, link.Text);
                xml.WriteElementString("maml", "uri", MamlNamespace, link.Uri);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        /// <summary>Get-Help prints the title as is; platyPS frames it with dashes.</summary>
        public static string ExampleTitle(string heading) => $"-------------------------- {heading} --------------------------";

        private static void WriteParameter(XmlWriter xml, ParameterHelp parameter, ParameterMetadata metadata)
        {
            xml.WriteStartElement("command", "parameter", CommandNamespace);
            xml.WriteAttributeString("required", metadata.Required ? "true" : "false");
            xml.WriteAttributeString("variableLength", "true");
            xml.WriteAttributeString("globbing", metadata.AcceptsWildcards ? "true" : "false");
            xml.WriteAttributeString("pipelineInput", metadata.PipelineInputText);
            xml.WriteAttributeString("position", metadata.Position is int p ? MarkdownLines.Invariant(p) : "named");
            xml.WriteAttributeString("aliases", metadata.Aliases.Count == 0 ? "none" : string.Join(", ", metadata.Aliases));
            xml.WriteElementString("maml", "name", MamlNamespace, parameter.Name);
            WriteDescription(xml, parameter.Description);

            if (metadata.AcceptedValues.Count > 0)
            {
                xml.WriteStartElement("command", "parameterValueGroup", CommandNamespace);
                foreach (var value in metadata.AcceptedValues)
                {
                    xml.WriteStartElement("command", "parameterValue", CommandNamespace);
                    xml.WriteAttributeString("required", "false");
                    xml.WriteAttributeString("command", "variableLength", CommandNamespace, "false");
                    xml.WriteString(value);
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            // A switch takes no value, so platyPS writes no parameterValue for it.
            if (!metadata.IsSwitch)
            {
                xml.WriteStartElement("command", "parameterValue", CommandNamespace);
                xml.WriteAttributeString("required", "true");
                xml.WriteAttributeString("variableLength", "false");
                xml.WriteString(metadata.Type);
                xml.WriteEndElement();
            }

            xml.WriteStartElement("dev", "type", DevNamespace);
            xml.WriteElementString("maml", "name", MamlNamespace, metadata.Type);
            xml.WriteElementString("maml", "uri", MamlNamespace, string.Empty);
            xml.WriteEndElement();
            xml.WriteElementString("dev", "defaultValue", DevNamespace, metadata.DefaultValue);
            xml.WriteEndElement();
        }

        private static void WriteTypes(XmlWriter xml, string listName, string itemName, IReadOnlyList<TypeHelp> types)
        {
            xml.WriteStartElement("command", listName, CommandNamespace);
            foreach (var type in types)
            {
                xml.WriteStartElement("command", itemName, CommandNamespace);
                xml.WriteStartElement("dev", "type", DevNamespace);
                xml.WriteElementString("maml", "name", MamlNamespace, type.TypeName);
                xml.WriteEndElement();
                WriteDescription(xml, type.Description);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        private static void WriteDescription(XmlWriter xml, IReadOnlyList<string> paragraphs)
        {
            xml.WriteStartElement("maml", "description", MamlNamespace);
            WriteParagraphs(xml, paragraphs);
            xml.WriteEndElement();
        }

        private static void WriteParagraphs(XmlWriter xml, IReadOnlyList<string> paragraphs)
        {
            if (paragraphs.Count == 0)
            {
                xml.WriteElementString("maml", "para", MamlNamespace, string.Empty);
                return;
            }

            foreach (var paragraph in paragraphs)
            {
                xml.WriteElementString("maml", "para", MamlNamespace, paragraph);
            }
        }
    }
}
