using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using WsusRemediation.Engine.Logs;

namespace WsusRemediation.Common
{
    /// <summary>
    /// Tab completion for Get-WsusSyncLog -Component: the component names the log readers give entries, quoted
    /// where a name holds a space ('Service Control Manager').
    /// </summary>
    public sealed class LogComponentCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            KnownComponents.StartingWith(wordToComplete)
                .Select(n => new CompletionResult(n.IndexOf(' ') >= 0 ? "'" + n + "'" : n, n, CompletionResultType.ParameterValue, n));
    }
}
