# The WsusPoolTuning DSC resource. It lives in this small script module, not in WsusRemediation,
# because PSDesiredStateConfiguration 2.x on PowerShell 7 cannot discover class resources in a
# module whose root or nested module is a DLL. The class only decides what to compare and which
# parameters to pass; reading, validating, comparing and writing are done by WsusRemediation's
# cmdlets and the objects they return. No WsusRemediation type appears as a type literal here, so
# this file parses (for Get-DscResource and the DSC v3 adapters) before the module's DLL is loaded.

# What differs from the desired state, in the shape Azure Machine Configuration reads
# (Code '<resource>:<resource>:<setting>', Phrase for people).
class WsusPoolTuningReason
{
    [DscProperty()]
    [string] $Code

    [DscProperty()]
    [string] $Phrase
}

[DscResource()]
class WsusPoolTuning
{
    # The application pool. 'WsusPool' means the pool that serves WSUS (the pool of the
    # ClientWebService application, else the pool named WsusPool), as the cmdlets find it.
    [DscProperty(Key)]
    [string] $Name

    # Recommended (KB4490414) or LargeEnvironment (the guide's values without 32-bit). Explicit
    # settings override it. With neither a profile nor an explicit setting, Recommended applies,
    # as with Set-WsusPoolTuning.
    [DscProperty()]
    [ValidateSet('Recommended', 'LargeEnvironment')]
    [string] $Profile

    # Explicit settings, named like Set-WsusPoolTuning's parameters. A setting that is not given is
    # not managed (unless the profile sets it). Time spans are IIS text: hh:mm:ss, hours may exceed
    # 23 ('29:00:00' is 29 hours), or d.hh:mm:ss.
    [DscProperty()]
    [Nullable[long]] $QueueLength

    [DscProperty()]
    [string] $IdleTimeout

    [DscProperty()]
    [Nullable[bool]] $PingingEnabled

    [DscProperty()]
    [Nullable[bool]] $LoadUserProfile

    [DscProperty()]
    [Nullable[long]] $PrivateMemoryLimitKB

    [DscProperty()]
    [Nullable[long]] $VirtualMemoryLimitKB

    [DscProperty()]
    [string] $RegularTimeInterval

    # True breaks WSUS (HTTP 500.19): Set() refuses it unless Force is true.
    [DscProperty()]
    [Nullable[bool]] $Enable32BitAppOnWin64

    [DscProperty()]
    [string] $ManagedRuntimeVersion

    [DscProperty()]
    [ValidateSet('Integrated', 'Classic')]
    [string] $ManagedPipelineMode

    [DscProperty()]
    [ValidateSet('OnDemand', 'AlwaysRunning')]
    [string] $StartMode

    [DscProperty()]
    [Nullable[bool]] $RapidFailProtection

    [DscProperty()]
    [string] $RapidFailProtectionInterval

    [DscProperty()]
    [Nullable[long]] $RapidFailProtectionMaxCrashes

    # An applicationHost.config file to manage instead of the live server's (full path).
    [DscProperty()]
    [string] $ConfigurationPath

    # Where Set() puts the backup of applicationHost.config; default: the configuration file's folder.
    [DscProperty()]
    [string] $BackupPath

    # Allows Enable32BitAppOnWin64 = true.
    [DscProperty()]
    [bool] $Force

    [DscProperty(NotConfigurable)]
    [bool] $IsCompliant

    [DscProperty(NotConfigurable)]
    [WsusPoolTuningReason[]] $Reasons

    [WsusPoolTuning] Get()
    {
        $tuning = $this.ReadPool()
        $current = [WsusPoolTuning]::new()
        $current.Name = $this.Name
        $current.Force = $this.Force
        # Copied only when given: a [string] property assigned $null becomes '', which ValidateSet refuses.
        foreach ($unmanaged in 'Profile', 'ConfigurationPath', 'BackupPath')
        {
            if ($this.$unmanaged)
            {
                $current.$unmanaged = $this.$unmanaged
            }
        }

        foreach ($setting in $tuning.Settings)
        {
            # Time spans go back out as the same IIS text they are given in.
            $value = $setting.Current
            if ($value -is [TimeSpan])
            {
                $value = $setting.Definition.FormatStored($value)
            }

            $current.($setting.Definition.PropertyName) = $value
        }

        $current.Reasons = $this.FindReasons($tuning)
        $current.IsCompliant = $current.Reasons.Count -eq 0
        return $current
    }

    [bool] Test()
    {
        # (A local variable may not share a property's name in a class, hence not $reasons.)
        $differences = $this.FindReasons($this.ReadPool())
        foreach ($difference in $differences)
        {
            Write-Verbose -Message $difference.Phrase
        }

        return $differences.Count -eq 0
    }

    [void] Set()
    {
        if ($this.Enable32BitAppOnWin64 -eq $true -and -not $this.Force)
        {
            throw "$($this.Name): Enable32BitAppOnWin64 = true breaks WSUS (its 64-bit compression module suscomp.dll cannot load in a 32-bit worker: HTTP 500.19). Nothing was changed. Set the Force property to true only if you really mean it."
        }

        $parameters = $this.TargetParameters()
        if ($this.Profile)
        {
            $parameters['Profile'] = $this.Profile
        }

        $explicit = $this.ExplicitSettings()
        foreach ($settingName in $explicit.Keys)
        {
            $parameters[$settingName] = $explicit[$settingName]
        }

        if ($this.BackupPath)
        {
            $parameters['BackupPath'] = $this.BackupPath
        }

        if ($this.Force)
        {
            $parameters['Force'] = $true
        }

        # Set-WsusPoolTuning backs up, writes atomically and rolls back; when every value already
        # matches it writes nothing and makes no backup, so a second Set() changes no byte.
        Set-WsusPoolTuning @parameters -Confirm:$false -WhatIf:$false -ErrorAction Stop
    }

    # -PoolName (unless the pool that serves WSUS is meant) and -ConfigurationPath for the cmdlets.
    hidden [hashtable] TargetParameters()
    {
        $parameters = @{}
        if ($this.Name -ne 'WsusPool')
        {
            $parameters['PoolName'] = $this.Name
        }

        if ($this.ConfigurationPath)
        {
            $parameters['ConfigurationPath'] = $this.ConfigurationPath
        }

        return $parameters
    }

    # The one pool this instance manages, compared with its profile (Recommended when none is given).
    hidden [object] ReadPool()
    {
        $parameters = $this.TargetParameters()
        $parameters['Profile'] = if ($this.Profile) { $this.Profile } else { 'Recommended' }
        $pools = @(Get-WsusPoolTuning @parameters -ErrorAction Stop)

        # -PoolName takes wildcards; the key is a literal name.
        if ($this.Name -ne 'WsusPool')
        {
            $pools = @($pools | Where-Object { $_.PoolName -eq $this.Name })
        }

        if ($pools.Count -ne 1)
        {
            throw "$($this.Name): no application pool of that name in '$($this.ConfigurationPath)'."
        }

        return $pools[0]
    }

    # The explicit settings that were given, by Set-WsusPoolTuning parameter name.
    hidden [System.Collections.Specialized.OrderedDictionary] ExplicitSettings()
    {
        $given = [ordered]@{}
        foreach ($property in $this.GetType().GetProperties())
        {
            $isDscProperty = $property.GetCustomAttributes([System.Management.Automation.DscPropertyAttribute], $false).Count -gt 0
            if (-not $isDscProperty -or $property.Name -in [WsusPoolTuning]::NotSettings)
            {
                continue
            }

            $value = $this.($property.Name)
            if ($null -ne $value)
            {
                $given[$property.Name] = $value
            }
        }

        return $given
    }

    hidden static [string[]] $NotSettings = @('Name', 'Profile', 'ConfigurationPath', 'BackupPath', 'Force', 'IsCompliant', 'Reasons')

    # One reason per managed setting whose effective value differs from the desired one. The desired
    # value is the explicit setting when given, else the profile's when a profile applies (the same
    # rule as Set-WsusPoolTuning); values are validated and compared by the module's own catalog.
    hidden [WsusPoolTuningReason[]] FindReasons([object] $tuning)
    {
        $explicit = $this.ExplicitSettings()
        $profileApplies = [bool]$this.Profile -or $explicit.Count -eq 0
        $differences = [System.Collections.Generic.List[WsusPoolTuningReason]]::new()
        foreach ($setting in $tuning.Settings)
        {
            $definition = $setting.Definition
            if ($explicit.Contains($definition.PropertyName))
            {
                try
                {
                    $desired = $definition.Validate($explicit[$definition.PropertyName])
                }
                catch
                {
                    # The catalog's own message (range, IIS time-span format), not the reflection wrapper's.
                    $inner = $_.Exception
                    while ($inner.InnerException) { $inner = $inner.InnerException }
                    throw "$($this.Name): $($definition.PropertyName): $($inner.Message)"
                }
            }
            elseif ($profileApplies -and $null -ne $setting.Recommended)
            {
                $desired = $setting.Recommended
            }
            else
            {
                continue
            }

            if (-not $definition.ValuesEqual($setting.Current, $desired))
            {
                $reason = [WsusPoolTuningReason]::new()
                $reason.Code = 'WsusPoolTuning:WsusPoolTuning:' + $definition.PropertyName
                $reason.Phrase = '{0}: {1} ({2}) is {3}; the desired value is {4}.' -f $tuning.PoolName, $definition.DisplayName, $definition.Name, $setting.Current, $definition.Describe($desired)
                $differences.Add($reason)
            }
        }

        return $differences.ToArray()
    }
}
