; Inno Setup script: installs the one-dir build (dist\tracker-gui) with a Start menu entry
; and an uninstaller. Built by release.yml on Windows:
;   iscc /DAppVersion=1.2.0 packaging\windows\tracker-gui.iss
; Unsigned for now: SmartScreen warns on first start until the installer is code-signed.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\tracker-gui.iss
#endif
#define Root AddBackslash(SourcePath) + "..\.."

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{6E1F4C1B-6F0B-4C4B-9A8E-2B7C1D3F5A90}
AppName=Tracker
AppVersion={#AppVersion}
AppVerName=Tracker {#AppVersion}
AppPublisher=Tracker contributors
DefaultDirName={autopf}\Tracker
DefaultGroupName=Tracker
DisableProgramGroupPage=yes
; Per-user by default (no administrator rights needed); the dialog offers all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir={#Root}\dist
OutputBaseFilename=tracker-gui-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\build\icons\tracker-gui.ico
UninstallDisplayIcon={app}\tracker-gui.exe
UninstallDisplayName=Tracker
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The app must not run while its files are replaced or removed.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\tracker-gui\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Tracker"; Filename: "{app}\tracker-gui.exe"; Comment: "Plan and track issues on a kanban board"
Name: "{autodesktop}\Tracker"; Filename: "{app}\tracker-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\tracker-gui.exe"; Description: "{cm:LaunchProgram,Tracker}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes the program files only: issues, settings and backups live in the
; user's data folders (%LOCALAPPDATA%\tracker-gui) and stay.
