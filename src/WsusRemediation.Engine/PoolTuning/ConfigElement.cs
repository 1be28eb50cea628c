using System;
using System.Collections.Generic;

namespace WsusRemediation.Engine.PoolTuning
{
    /// <summary>An attribute as found in the file: its value and where its text sits.</summary>
    internal sealed class ConfigAttribute
    {
        public ConfigAttribute(string name, string value, int nameOffset)
        {
            Name = name;
            Value = value;
            NameOffset = nameOffset;
        }

        public string Name { get; }

        public string Value { get; }

        /// <summary>Offset of the attribute's name in the decoded text.</summary>
        public int NameOffset { get; }
    }

    /// <summary>
    /// An element of applicationHost.config with the offsets of its start tag in the decoded text,
    /// so that an edit can splice exactly the characters it means to change.
    /// </summary>
    internal sealed class ConfigElement
    {
        public ConfigElement(string name, ConfigElement? parent, int openOffset)
        {
            Name = name;
            Parent = parent;
            OpenOffset = openOffset;
        }

        public string Name { get; }

        public ConfigElement? Parent { get; }

        /// <summary>Offset of '&lt;' of the start tag.</summary>
        public int OpenOffset { get; }

        /// <summary>Offset of the '&gt;' that ends the start tag.</summary>
        public int StartTagEndOffset { get; set; }

        /// <summary>True for <c>&lt;add ... /&gt;</c>.</summary>
        public bool IsEmpty { get; set; }

        public List<ConfigAttribute> Attributes { get; } = new List<ConfigAttribute>();

        public List<ConfigElement> Children { get; } = new List<ConfigElement>();

        public string? GetAttribute(string name)
        {
            foreach (var attribute in Attributes)
            {
                if (string.Equals(attribute.Name, name, StringComparison.Ordinal))
                {
                    return attribute.Value;
                }
            }

            return null;
        }

        public ConfigAttribute? FindAttribute(string name) => Attributes.Find(a => string.Equals(a.Name, name, StringComparison.Ordinal));

        public ConfigElement? Child(string name) => Children.Find(c => string.Equals(c.Name, name, StringComparison.Ordinal));

        /// <summary>Follows a path such as <c>recycling/periodicRestart</c>; "" is this element.</summary>
        public ConfigElement? Descendant(string path)
        {
            var current = this;
            if (path.Length == 0)
            {
                return current;
            }

            foreach (var part in path.Split('/'))
            {
                current = current.Child(part);
                if (current is null)
                {
                    return null;
                }
            }

            return current;
        }
    }
}
