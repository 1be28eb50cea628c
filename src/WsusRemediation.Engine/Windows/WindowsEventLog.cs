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
        private const int EvtQueryTolerateQueryErrors = 0x1000;
        private const int EvtRenderEventXml = 1;
        private const int ErrorNoMoreItems = 259;
        private const int ErrorInsufficientBuffer = 122;
        private const int ErrorEvtChannelNotFound = 15007;
        private const int BatchSize = 64;

        /// <inheritdoc />
        public IEnumerable<string> Query(string channel, string xpath, CancellationToken cancellationToken)
        {
            WindowsPlatform.RequireWindows("Reading the live event log", "-Path with exported event XML files");
            return QueryIterator(channel, xpath, cancellationToken);
        }

        private static IEnumerable<string> QueryIterator(string channel, string xpath, CancellationToken cancellationToken)
        {
            var query = NativeMethods.EvtQuery(IntPtr.Zero, channel, xpath, EvtQueryChannelPath | EvtQueryTolerateQueryErrors);
            if (query == IntPtr.Zero)
            {
                var error = Marshal.GetLastWin32Error();
                if (error == ErrorEvtChannelNotFound)
                {
                    yield break;
                }

                throw new WsusRemediationException("EventLogQueryFailed", EngineErrorKind.ReadError, $"The {channel} event log could not be queried: {new Win32Exception(error).Message}", channel);
            }

            var handles = new IntPtr[BatchSize];
            try
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!NativeMethods.EvtNext(query, BatchSize, handles, 1000, 0, out var returned))
                    {
                        var error = Marshal.GetLastWin32Error();
                        if (error == ErrorNoMoreItems)
                        {
                            yield break;
                        }

                        throw new WsusRemediationException("EventLogQueryFailed", EngineErrorKind.ReadError, $"Reading the {channel} event log failed: {new Win32Exception(error).Message}", channel);
                    }

                    var rendered = new List<string>(returned);
                    try
                    {
                        for (var i = 0; i < returned; i++)
                        {
                            rendered.Add(Render(handles[i]));
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

        private static string Render(IntPtr handle)
        {
            if (NativeMethods.EvtRender(IntPtr.Zero, handle, EvtRenderEventXml, 0, IntPtr.Zero, out var used, out _))
            {
                return string.Empty;
            }

            var error = Marshal.GetLastWin32Error();
            if (error != ErrorInsufficientBuffer)
            {
                throw new Win32Exception(error);
            }

            var buffer = Marshal.AllocHGlobal(used);
            try
            {
                if (!NativeMethods.EvtRender(IntPtr.Zero, handle, EvtRenderEventXml, used, buffer, out used, out _))
                {
                    throw new Win32Exception(Marshal.GetLastWin32Error());
                }

                // The buffer holds UTF-16 text with its terminating NUL.
                return Marshal.PtrToStringUni(buffer, Math.Max(0, (used / 2) - 1));
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        private static class NativeMethods
        {
            [DllImport("wevtapi.dll", CharSet = CharSet.Unicode, SetLastError = true)]
            public static extern IntPtr EvtQuery(IntPtr session, string path, string query, int flags);

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
