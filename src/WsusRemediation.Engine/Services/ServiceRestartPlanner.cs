using System;
using System.Collections.Generic;
using System.Linq;

namespace WsusRemediation.Engine.Services
{
    /// <summary>
    /// Reads the services of a plan from the SCM and decides what to do with each and in which order.
    /// Reads only; <see cref="ServiceRestartRunner"/> acts.
    /// </summary>
    public sealed class ServiceRestartPlanner
    {
        private readonly IServiceControlManager _scm;

        /// <summary>Creates a planner over an SCM port.</summary>
        public ServiceRestartPlanner(IServiceControlManager scm) => _scm = scm ?? throw new ArgumentNullException(nameof(scm));

        /// <summary>
        /// Plans the targets (given in stop order) on one computer. Running services that depend on a
        /// service to be stopped are added (the SCM refuses to stop a service while a dependent runs,
        /// error 1051, and an IIS reset restarts them too), placed so that they stop first and start last.
        /// Throws <c>ComputerUnreachable</c> or <c>ServiceAccessDenied</c> when the SCM cannot be read.
        /// </summary>
        public ServiceRestartPlan Plan(string? computerName, IEnumerable<ServiceTarget> targets)
        {
            if (targets is null)
            {
                throw new ArgumentNullException(nameof(targets));
            }

            var isLocal = ServiceErrors.IsLocal(computerName);
            var scmComputer = isLocal ? null : computerName;
            var planned = new List<PlannedService>();
            var byName = new Dictionary<string, PlannedService>(StringComparer.OrdinalIgnoreCase);

            foreach (var target in targets)
            {
                if (byName.ContainsKey(target.Name))
                {
                    continue;
                }

                var info = _scm.GetService(scmComputer, target.Name);
                var action = info is null ? PlannedServiceAction.NotPresent : ServicePlanRules.ActionFor(target.Rule, info.State);
                var service = new PlannedService(target, info, action, null);
                planned.Add(service);
                byName[service.Name] = service;
            }

            AddRunningDependents(scmComputer, planned, byName);
            var ordered = StopOrder(planned, byName);

            var blocked = ordered.FirstOrDefault(s =>
                (s.Action == PlannedServiceAction.Restart || s.Action == PlannedServiceAction.Start) && s.StartType == ServiceStartType.Disabled);
            var blocker = blocked is null ? null : ServiceErrors.Disabled(scmComputer, blocked.Name);

            return new ServiceRestartPlan(isLocal ? Environment.MachineName : computerName!, isLocal, ordered, blocker, blocked?.Name);
        }

        private void AddRunningDependents(string? scmComputer, List<PlannedService> planned, Dictionary<string, PlannedService> byName)
        {
            var queue = new Queue<PlannedService>(planned.Where(s => s.Action == PlannedServiceAction.Restart));
            while (queue.Count > 0)
            {
                var stopping = queue.Dequeue();
                foreach (var dependentName in stopping.DependentServices)
                {
                    if (byName.TryGetValue(dependentName, out var known))
                    {
                        // A service the plan would leave alone must still stop while its dependency restarts.
                        if (known.Action == PlannedServiceAction.None && known.WasRunning)
                        {
                            known.Action = PlannedServiceAction.Restart;
                            known.AddedAsDependentOf = stopping.Name;
                            queue.Enqueue(known);
                        }

                        continue;
                    }

                    var info = _scm.GetService(scmComputer, dependentName);
                    if (info is null || !ServicePlanRules.IsRunningish(info.State))
                    {
                        continue;
                    }

                    var dependent = new PlannedService(
                        new ServiceTarget(info.Name, ServiceRule.RestartIfRunning, $"Depends on {stopping.Name}"),
                        info,
                        PlannedServiceAction.Restart,
                        stopping.Name);
                    planned.Insert(planned.IndexOf(stopping), dependent);
                    byName[dependent.Name] = dependent;
                    queue.Enqueue(dependent);
                }
            }
        }

        /// <summary>A stable topological order: the given order, except that a dependent always comes before what it depends on.</summary>
        private static List<PlannedService> StopOrder(List<PlannedService> planned, Dictionary<string, PlannedService> byName)
        {
            var result = new List<PlannedService>(planned.Count);
            var placed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var remaining = new List<PlannedService>(planned);
            while (remaining.Count > 0)
            {
                var next = remaining.FirstOrDefault(s => s.DependentServices.All(d => !byName.ContainsKey(d) || placed.Contains(d)))
                    ?? remaining[0]; // a dependency cycle cannot be ordered; keep the given order
                result.Add(next);
                placed.Add(next.Name);
                remaining.Remove(next);
            }

            return result;
        }
    }
}
