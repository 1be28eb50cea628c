@{
    # A stand-in for Windows' CimCmdlets module (tests/Pester/Bridge.Tests.ps1 only).
    RootModule        = 'CimCmdlets.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '3b9f0d0e-6f4b-4e3e-9a55-2f1f0c7a9e11'
    FunctionsToExport = @('New-CimSessionOption', 'New-CimSession', 'Get-CimInstance', 'Invoke-CimMethod')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
