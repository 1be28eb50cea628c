@{
    RootModule           = 'WsusRemediation.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core', 'Desktop')
    GUID                 = '5d0c8a3e-6f51-4f0b-9a43-3b7f2a9e1c64'
    Author               = 'WsusRemediation contributors'
    CompanyName          = 'WsusRemediation contributors'
    Copyright            = '(c) WsusRemediation contributors. MIT License.'
    Description          = 'Diagnose and repair WSUS and MECM software update synchronization: WsusPool tuning with backups, service restarts in the right order, sync trigger and watch, and evidence from logs and events.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    NestedModules        = @()
    RequiredAssemblies   = @('WsusRemediation.Engine.dll')
    FormatsToProcess     = @('WsusRemediation.Format.ps1xml')
    TypesToProcess       = @('WsusRemediation.Types.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Get-WsusPoolTuning'
        'Get-WsusSyncLog'
        'Set-WsusPoolTuning'
        'Test-WsusPoolTuning'
        'Get-WsusServiceStatus'
        'Restart-IisService'
        'Restart-SmsService'
        'Restart-WsusPool'
        'Get-WsusSyncStatus'
        'Invoke-WsusSync'
        'Get-WsusRepairPlan'
        'Repair-WsusSync'
        'Get-SoftwareUpdatePoint'
        'Get-WsusSyncDiagnosis'
        'Export-WsusSyncEvidence'
    )
    VariablesToExport    = @()
    AliasesToExport      = @(
        'Restart-SmsServices'
    )
    PrivateData          = @{
        PSData = @{
            Tags         = @('WSUS', 'MECM', 'ConfigMgr', 'SCCM', 'IIS', 'WsusPool', 'Synchronization', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows')
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
