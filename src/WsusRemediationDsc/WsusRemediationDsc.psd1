@{
    RootModule           = 'WsusRemediationDsc.psm1'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core', 'Desktop')
    GUID                 = 'e7b2efcf-bc47-48e8-9927-f01c519bf700'
    Author               = 'WsusRemediation contributors'
    CompanyName          = 'WsusRemediation contributors'
    Copyright            = '(c) WsusRemediation contributors. MIT License.'
    Description          = 'DSC resource WsusPoolTuning: keeps the IIS pool that serves WSUS tuned (KB4490414 or the large-environment profile, or explicit settings) with WsusRemediation''s backed-up, atomic edits. For Windows PowerShell 5.1 DSC, PSDesiredStateConfiguration 2.x on PowerShell 7 and DSC v3.'
    PowerShellVersion    = '5.1'
    RequiredModules      = @('WsusRemediation')
    FunctionsToExport    = @()
    CmdletsToExport      = @()
    VariablesToExport    = @()
    # AliasesToExport is left out on purpose: when CmdletsToExport, FunctionsToExport and
    # AliasesToExport are all explicit lists, PowerShell reports no ExportedDscResources
    # (PowerShell#12054, #16750), and DSC discovery would not find the resource.
    DscResourcesToExport = @('WsusPoolTuning')
    PrivateData          = @{
        PSData = @{
            Tags         = @('DSC', 'DesiredStateConfiguration', 'WSUS', 'MECM', 'ConfigMgr', 'IIS', 'WsusPool', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows')
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
