using System;
using System.Reflection;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// Small reflection helpers for the Windows adapters, which reach assemblies that exist only on
    /// the server (Microsoft.Web.Administration, Microsoft.UpdateServices.Administration) without a
    /// compile-time reference. Kept tiny on purpose: every adapter stays thin.
    /// </summary>
    internal static class LateBound
    {
        public static object? Get(object target, string property) =>
            target.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target, null)
            ?? throw new MissingMemberException(target.GetType().FullName, property);

        public static object? GetOrNull(object target, string property) =>
            target.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target, null);

        public static void Set(object target, string property, object? value) =>
            (target.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new MissingMemberException(target.GetType().FullName, property)).SetValue(target, value, null);

        public static object? Call(object target, string method, params object?[] arguments)
        {
            try
            {
                return target.GetType().InvokeMember(method, BindingFlags.InvokeMethod | BindingFlags.Public | BindingFlags.Instance, null, target, arguments, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                // Callers want the server's own exception (COMException, WebException), not the reflection wrapper.
                throw ex.InnerException;
            }
        }

        /// <summary>Indexer access (<c>collection["name"]</c> or <c>collection[0]</c>).</summary>
        public static object? Index(object target, object key)
        {
            try
            {
                return target.GetType().InvokeMember("Item", BindingFlags.GetProperty | BindingFlags.Public | BindingFlags.Instance, null, target, new[] { key }, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
