using System;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace WsusRemediation.Engine.Windows
{
    /// <summary>
    /// Small reflection helpers for the Windows adapters, which reach assemblies that exist only on
    /// the server (Microsoft.Web.Administration, Microsoft.UpdateServices.Administration) without a
    /// compile-time reference. Kept tiny on purpose: every adapter stays thin.
    /// Every helper rethrows the member's own exception (COMException, WebException, ...) with its
    /// original stack: PropertyInfo.GetValue and InvokeMember wrap it in a TargetInvocationException,
    /// which the adapters' <c>catch (COMException)</c> clauses would otherwise never see.
    /// </summary>
    internal static class LateBound
    {
        /// <summary>A property's value (which may be null); throws MissingMemberException only when the property does not exist.</summary>
        public static object? Get(object target, string property) =>
            Unwrap(() => (Property(target, property) ?? throw new MissingMemberException(target.GetType().FullName, property)).GetValue(target, null));

        /// <summary>A property's value, or null when the property does not exist or is null.</summary>
        public static object? GetOrNull(object target, string property)
        {
            var info = Property(target, property);
            return info is null ? null : Unwrap(() => info.GetValue(target, null));
        }

        public static void Set(object target, string property, object? value)
        {
            var info = Property(target, property) ?? throw new MissingMemberException(target.GetType().FullName, property);
            Unwrap<object?>(() =>
            {
                info.SetValue(target, value, null);
                return null;
            });
        }

        public static object? Call(object target, string method, params object?[] arguments) =>
            Unwrap(() => target.GetType().InvokeMember(method, BindingFlags.InvokeMethod | BindingFlags.Public | BindingFlags.Instance, null, target, arguments, System.Globalization.CultureInfo.InvariantCulture));

        /// <summary>Indexer access (<c>collection["name"]</c> or <c>collection[0]</c>).</summary>
        public static object? Index(object target, object key) =>
            Unwrap(() => target.GetType().InvokeMember("Item", BindingFlags.GetProperty | BindingFlags.Public | BindingFlags.Instance, null, target, new[] { key }, System.Globalization.CultureInfo.InvariantCulture));

        /// <summary>Calls a static method; rethrows the method's own exception.</summary>
        public static object? CallStatic(MethodInfo method, params object?[] arguments) =>
            Unwrap(() => method.Invoke(null, arguments));

        private static PropertyInfo? Property(object target, string property)
        {
            try
            {
                return target.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance);
            }
            catch (AmbiguousMatchException)
            {
                // A derived type hides the property with "new" (another return type): take the most derived one.
                var type = target.GetType();
                while (type is not null)
                {
                    var declared = type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
                    if (declared is not null)
                    {
                        return declared;
                    }

                    type = type.BaseType;
                }

                return null;
            }
        }

        private static T Unwrap<T>(Func<T> call)
        {
            try
            {
                return call();
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw; // not reached: Throw() always throws
            }
        }
    }
}
