using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Threading;
using WsusRemediation.Engine.Common;
using WsusRemediation.Engine.Logs;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// The live event log through wevtapi.dll (EvtQuery, EvtNext, EvtRender with EvtRenderEventXml).
    /// netstandard2.0 has no EventLogReader, and the XML it renders is exactly what exported files hold,
    /// so the same parser reads both.
    /// </summary>
    public sealed class WindowsEventLog : IEventLogSource
    {
        private const int EvtQueryChannelPath = 0x1;
        private const int EvtQueryForwardDirection = 0x100;

        /// <summary>
        /// The EvtQuery flags. Not EvtQueryTolerateQueryErrors: with it, wevtapi drops the expressions it cannot
        /// run, from the first failing one on, and returns what the rest select, so known events would go missing
        /// without a word. Without it a query Windows refuses fails as EventLogQueryFailed, naming the query.
        /// </summary>
        internal const int QueryFlags = EvtQueryChannelPath | EvtQueryForwardDirection;
        private const int EvtRenderEventXml = 1;
        private const int ErrorNoMoreItems = 259;
        private const int ErrorInsufficientBuffer = 122;
        private const int ErrorTimeout = 1460;
        private const int ErrorEvtChannelNotFound = 15007;
        private const int NextTimeoutMilliseconds = 1000;
        private const int BatchSize = 64;

        /// <inheritdoc />
        public IEnumerable<string> Query(string channel, string xpath, CancellationToken cancellationToken)
        {
            WindowsPlatform.RequireWindows("Reading the live event log", "-Path with exported event XML files");
            return QueryIterator(channel, xpath, cancellationToken);
        }

        /// <summary>
        /// The XPath as a structured XML query. A bare XPath argument to EvtQuery is refused ("The specified
        /// query is invalid") once it has more than 20 expressions, and the known-event filter of the System
        /// channel is close to that; inside a structured query each Select may hold up to 32.
        /// </summary>
        internal static string StructuredQuery(string channel, string xpath)
        {
            if (xpath.TrimStart().StartsWith("<QueryList", StringComparison.Ordinal))
            {
                return xpath;
            }

            var path = Escape(channel).Replace("\"", "&quot;");
            return $"<QueryList><Query Id=\"0\" Path=\"{path}\"><Select Path=\"{path}\">{Escape(xpath)}</Select></Query></QueryList>";
        }

        private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        private static IEnumerable<string> QueryIterator(string channel, string xpath, CancellationToken cancellationToken)
        {
            // The structured query names its channel (Query Path="..."), so EvtQuery ignores Path: NULL.
            // Forward direction = oldest first, as IEventLogSource promises.
            var query = NativeMethods.EvtQuery(IntPtr.Zero, null, StructuredQuery(channel, xpath), QueryFlags);
            if (query == IntPtr.Zero)
            {
                var error = Marshal.GetLastWin32Error();
                if (error == ErrorEvtChannelNotFound)
                {
                    yield break;
                }

                throw QueryRefused(error, channel, xpath);
            }

            var handles = new IntPtr[BatchSize];
            try
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!NativeMethods.EvtNext(query, BatchSize, handles, NextTimeoutMilliseconds, 0, out var returned))
                    {
                        var error = Marshal.GetLastWin32Error();
                        if (error == ErrorNoMoreItems)
                        {
                            yield break;
                        }

                        if (error == ErrorTimeout)
                        {
                            // A slow, selective scan of a large log: not a failure. The short timeout only
                            // keeps Ctrl+C (checked above) responsive.
                            continue;
                        }

                        throw new WsusRemediationException("EventLogQueryFailed", EngineErrorKind.ReadError, $"Reading the {channel} event log failed: {new Win32Exception(error).Message}", channel);
                    }

                    var rendered = new List<string>(returned);
                    try
                    {
                        for (var i = 0; i < returned; i++)
                        {
                            rendered.Add(Render(handles[i], channel));
                        }
                    }
                    finally
                    {
                        for (var i = 0; i < returned; i++)
                        {
                            NativeMethods.EvtClose(handles[i]);
                        }
                    }

                    foreach (var xml in rendered)
                    {
                        yield return xml;
                    }
                }
            }
            finally
            {
                NativeMethods.EvtClose(query);
            }
        }

        private static string Render(IntPtr handle, string channel)
        {
            // Sizing call: BufferSize and BufferUsed count BYTES; the text is a NUL-terminated UTF-16 string.
            if (NativeMethods.EvtRender(IntPtr.Zero, handle, EvtRenderEventXml, 0, IntPtr.Zero, out var used, out _))
            {
                return string.Empty;
            }

            var error = Marshal.GetLastWin32Error();
            if (error != ErrorInsufficientBuffer)
            {
                throw RenderFailed(error, channel);
            }

            var size = used;
            var buffer = Marshal.AllocHGlobal(size);
            try
            {
                if (!NativeMethods.EvtRender(IntPtr.Zero, handle, EvtRenderEventXml, size, buffer, out used, out _))
                {
                    throw RenderFailed(Marshal.GetLastWin32Error(), channel);
                }

                // Bytes to characters, without the terminating NUL.
                return Marshal.PtrToStringUni(buffer, Math.Max(0, (Math.Min(used, size) / 2) - 1));
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        /// <summary>The error for a query Windows would not run: it names the query, which is never narrowed to what runs.</summary>
        internal static WsusRemediationException QueryRefused(int error, string channel, string xpath) =>
            new WsusRemediationException("EventLogQueryFailed", EngineErrorKind.ReadError, $"The {channel} event log could not be queried ({new Win32Exception(error).Message}); no part of the query was run: {xpath}", channel)
            {
                RecommendedAction = "Export the events with wevtutil qe and read the file with -Path.",
            };

        private static WsusRemediationException RenderFailed(int error, string channel) =>
            new WsusRemediationException("EventLogQueryFailed", EngineErrorKind.ReadError, $"An event of the {channel} event log could not be rendered: {new Win32Exception(error).Message}", channel);

        private static class NativeMethods
        {
            [DllImport("wevtapi.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern IntPtr EvtQuery(IntPtr session, string? path, string query, int flags);

            [DllImport("wevtapi.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool EvtNext(IntPtr resultSet, int eventArraySize, [Out] IntPtr[] eventArray, int timeout, int flags, out int returned);

            [DllImport("wevtapi.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool EvtRender(IntPtr context, IntPtr fragment, int flags, int bufferSize, IntPtr buffer, out int bufferUsed, out int propertyCount);

            [DllImport("wevtapi.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool EvtClose(IntPtr handle);
        }
    }
}
