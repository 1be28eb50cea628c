using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace WsusRemediation.Module.Tests.Infrastructure
{
    /// <summary>
    /// A host that records what PowerShell writes to it (the "What if:" lines of ShouldProcess go
    /// here, not to a stream) and refuses anything interactive: a prompt in a test is a bug, so it
    /// fails instead of hanging. The console is 120 columns wide.
    /// </summary>
    internal sealed class CapturingHost : PSHost
    {
        private readonly CapturingHostUserInterface _ui = new();

        public override string Name => "WsusRemediation.Tests";
        public override Version Version { get; } = new(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

        public string Text => _ui.Text;

        public override void EnterNestedPrompt() => throw new NotSupportedException("No nested prompt in tests.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("No nested prompt in tests.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) { }
    }

    internal sealed class CapturingHostUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder _text = new();
        private readonly CapturingRawUserInterface _raw = new();

        public string Text
        {
            get { lock (_text) { return _text.ToString(); } }
        }

        public override PSHostRawUserInterface RawUI => _raw;

        public override void Write(string value) => Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);
        public override void WriteLine(string value) => Append(value + "\n");
        public override void WriteErrorLine(string value) => Append(value + "\n");
        public override void WriteDebugLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }

        public override string ReadLine() => throw Interactive("ReadLine");
        public override SecureString ReadLineAsSecureString() => throw Interactive("ReadLineAsSecureString");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw Interactive("Prompt: " + message);
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw Interactive("PromptForCredential");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw Interactive("PromptForCredential");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw Interactive("PromptForChoice: " + caption + " " + message);

        private void Append(string value)
        {
            lock (_text) { _text.Append(value); }
        }

        private static InvalidOperationException Interactive(string what) =>
            new($"The script asked the host for input ({what}); tests never answer prompts (use -Confirm:$false or -WhatIf).");
    }

    internal sealed class CapturingRawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get; set; } = new(120, 3000);
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; } = 1;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new(120, 50);
        public override Size MaxWindowSize => new(120, 50);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get; set; } = new(120, 50);
        public override string WindowTitle { get; set; } = string.Empty;

        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new InvalidOperationException("Tests never read keys.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
