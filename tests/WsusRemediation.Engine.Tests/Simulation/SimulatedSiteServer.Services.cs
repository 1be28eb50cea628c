using System;
using System.Collections.Generic;
using System.Linq;
using WsusRemediation.Engine.Services;

namespace WsusRemediation.Engine.Tests.Simulation;

/// <summary>A service of the simulated server; tests set its faults directly.</summary>
public sealed class SimulatedService
{
    public SimulatedService(string name, string displayName, ServiceStartType startType, ServiceState state)
    {
        Name = name;
        DisplayName = displayName;
        StartType = startType;
        State = state;
    }

    public string Name { get; }
    public string DisplayName { get; }
    public ServiceStartType StartType { get; set; }
    public ServiceState State { get; internal set; }
    public List<string> DependsOn { get; } = new();
    public TimeSpan StartLatency { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan StopLatency { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>StartService blocks 30 s, then fails with 1053, as a service whose process never reports in.</summary>
    public bool StartTimesOut { get; set; }

    /// <summary>Goes StartPending, then back to Stopped (a service that crashes while starting).</summary>
    public bool StopsWhileStarting { get; set; }

    /// <summary>Accepts the stop control but stays StopPending for ever.</summary>
    public bool HangsOnStop { get; set; }

    /// <summary>Start and stop fail with access denied (5); querying still works, as for a non-admin.</summary>
    public bool DenyControl { get; set; }

    public int Starts { get; internal set; }
    public int Stops { get; internal set; }

    /// <summary>Bumped on every transition, so a scheduled change made stale by a later request is ignored.</summary>
    internal int Generation { get; set; }
}

public sealed partial class SimulatedSiteServer : IServiceControlManager
{
    /// <summary>The SCM's 30-second wait for a new service process before it gives up with 1053.</summary>
    public static readonly TimeSpan ScmStartTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, SimulatedService> _services = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<SimulatedService> Services => _services.Values;

    public SimulatedService Service(string name) => _services[name];

    public SimulatedService AddService(string name, string displayName, ServiceStartType startType, ServiceState state, double startSeconds = 1, double stopSeconds = 1, params string[] dependsOn)
    {
        var service = new SimulatedService(name, displayName, startType, state)
        {
            StartLatency = TimeSpan.FromSeconds(startSeconds),
            StopLatency = TimeSpan.FromSeconds(stopSeconds),
        };
        service.DependsOn.AddRange(dependsOn);
        _services[name] = service;
        return service;
    }

    public void RemoveService(string name) => _services.Remove(name);

    public ServiceInfo? GetService(string? computerName, string serviceName)
    {
        CheckReachable(computerName);
        if (!_services.TryGetValue(serviceName, out var service))
        {
            return null;
        }

        return new ServiceInfo(service.Name, service.DisplayName, service.State, service.StartType, service.DependsOn.ToArray(), DependentsOf(service.Name));
    }

    public void StartService(string? computerName, string serviceName)
    {
        CheckReachable(computerName);
        var service = Find(computerName, serviceName, "start");
        ControlLog.Add($"start {service.Name}");
        StartWithDependencies(computerName, service, "start");
    }

    public void StopService(string? computerName, string serviceName)
    {
        CheckReachable(computerName);
        var service = Find(computerName, serviceName, "stop");
        ControlLog.Add($"stop {service.Name}");
        if (service.DenyControl)
        {
            throw ServiceErrors.FromWin32(ServiceErrors.AccessDenied, computerName, service.Name, "stop", "Access is denied.");
        }

        switch (service.State)
        {
            case ServiceState.Stopped:
            case ServiceState.StopPending:
                return;
            case ServiceState.StartPending:
                throw ServiceErrors.FromWin32(ServiceErrors.ServiceCannotAcceptControl, computerName, service.Name, "stop");
        }

        if (DependentsOf(service.Name).Any(d => _services[d].State != ServiceState.Stopped))
        {
            throw ServiceErrors.FromWin32(ServiceErrors.DependentServicesRunning, computerName, service.Name, "stop", "A stop control has been sent to a service that other running services are dependent on.");
        }

        Transition(service, ServiceState.StopPending);
        service.Stops++;
        if (!service.HangsOnStop)
        {
            var generation = service.Generation;
            Clock.Schedule(service.StopLatency, () =>
            {
                if (service.Generation == generation)
                {
                    Transition(service, ServiceState.Stopped);
                }
            });
        }
    }

    /// <summary>Sets a state from outside (a crash, an admin), raising the change event.</summary>
    public void SetServiceState(string name, ServiceState state) => Transition(_services[name], state);

    private SimulatedService Find(string? computerName, string serviceName, string operation) =>
        _services.TryGetValue(serviceName, out var service)
            ? service
            : throw ServiceErrors.FromWin32(ServiceErrors.ServiceDoesNotExist, computerName, serviceName, operation, "The specified service does not exist as an installed service.");

    /// <summary>Returns when the service (and what it needs) will be Running, the way the SCM starts dependencies first.</summary>
    private DateTimeOffset StartWithDependencies(string? computerName, SimulatedService service, string operation)
    {
        if (service.DenyControl)
        {
            throw ServiceErrors.FromWin32(ServiceErrors.AccessDenied, computerName, service.Name, operation, "Access is denied.");
        }

        if (service.StartType == ServiceStartType.Disabled)
        {
            throw ServiceErrors.FromWin32(ServiceErrors.ServiceDisabled, computerName, service.Name, operation);
        }

        if (service.State == ServiceState.Running)
        {
            return Clock.UtcNow;
        }

        if (service.State == ServiceState.StopPending)
        {
            throw ServiceErrors.FromWin32(ServiceErrors.ServiceCannotAcceptControl, computerName, service.Name, operation);
        }

        var ready = Clock.UtcNow;
        foreach (var dependencyName in service.DependsOn)
        {
            if (!_services.TryGetValue(dependencyName, out var dependency))
            {
                throw ServiceErrors.FromWin32(ServiceErrors.DependencyFailed, computerName, service.Name, operation, "The dependency service or group failed to start.");
            }

            try
            {
                var dependencyReady = StartWithDependencies(computerName, dependency, operation);
                ready = dependencyReady > ready ? dependencyReady : ready;
            }
            catch (WsusRemediation.Engine.Common.WsusRemediationException)
            {
                throw ServiceErrors.FromWin32(ServiceErrors.DependencyFailed, computerName, service.Name, operation, "The dependency service or group failed to start.");
            }
        }

        if (service.StartTimesOut)
        {
            // The real StartService blocks while the SCM waits for the process, then gives up.
            Clock.Advance(ScmStartTimeout);
            throw ServiceErrors.FromWin32(ServiceErrors.ServiceRequestTimeout, computerName, service.Name, operation, "The service did not respond to the start or control request in a timely fashion.");
        }

        if (service.State == ServiceState.StartPending)
        {
            return ready + service.StartLatency;
        }

        Transition(service, ServiceState.StartPending);
        service.Starts++;
        var generation = service.Generation;
        var runningAt = ready + service.StartLatency;
        Clock.Schedule(runningAt - Clock.UtcNow, () =>
        {
            if (service.Generation == generation)
            {
                Transition(service, service.StopsWhileStarting ? ServiceState.Stopped : ServiceState.Running);
            }
        });
        return runningAt;
    }

    private string[] DependentsOf(string name)
    {
        // Transitive, as EnumDependentServices returns them.
        var result = new List<string>();
        var queue = new Queue<string>();
        queue.Enqueue(name);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var candidate in _services.Values)
            {
                if (candidate.DependsOn.Contains(current, StringComparer.OrdinalIgnoreCase) && !result.Contains(candidate.Name, StringComparer.OrdinalIgnoreCase))
                {
                    result.Add(candidate.Name);
                    queue.Enqueue(candidate.Name);
                }
            }
        }

        return result.ToArray();
    }

    private void Transition(SimulatedService service, ServiceState state)
    {
        service.State = state;
        service.Generation++;
        ServiceStateChanged?.Invoke(service.Name, state);
    }
}
