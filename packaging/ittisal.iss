; Inno Setup script: the Windows installer of Ittisal, made from the one-folder bundle.
;
;   pyinstaller --noconfirm packaging\ittisal.spec          (dist\ittisal\, build\ittisal.ico)
;   ISCC /DAppVersion=0.1.0 packaging\ittisal.iss           (dist\ittisal-setup-0.1.0.exe)
;
; .github/workflows/windows.yml runs both on a Windows runner; nothing here can run on
; Linux. Relative paths are from this file's folder.
;
; - Per user, no administrator rights: PrivilegesRequired=lowest, installed under
;   %LOCALAPPDATA%\Programs\Ittisal ({userpf}), shortcuts in the user's Start menu and
;   desktop ({autoprograms}, {autodesktop} are the user's with lowest privileges).
; - The install folder holds the program only. The app keeps its database, backups, keys,
;   attachments and log in the user's data folder (models/paths.py: platformdirs'
;   user_data_dir, %LOCALAPPDATA%\Ittisal on Windows), which this installer never touches:
;   an upgrade or an uninstall loses nothing. A new version upgrades the old database
;   itself, after a backup, on its first start (ui/launch.py).
; - The shortcuts start ittisal-app.exe (no console window); ittisal.exe is the command
;   line, with the same options as main.py.
; - Arabic: Languages\Arabic.isl ships with recent Inno Setup 6 releases (for years it was
;   one of the unofficial translations, not installed with the compiler); the installer
;   offers Arabic when the compiler has it, and is in English only otherwise (a compiler
;   message says so). Setup picks the user's language (Arabic on an Arabic Windows).
; - This file is ASCII on purpose: the compiler reads a script without a byte-order mark
;   in the system's code page.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{CBA3D6BD-91F4-4620-AD68-0C9EA32CF90F}
AppName=Ittisal
AppVersion={#AppVersion}
AppVerName=Ittisal {#AppVersion}
AppPublisher=Ittisal
PrivilegesRequired=lowest
DefaultDirName={userpf}\Ittisal
DisableDirPage=auto
DefaultGroupName=Ittisal
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; Qt 6 needs 64-bit Windows 10 or newer.
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=ittisal-setup-{#AppVersion}
SetupIconFile=..\build\ittisal.ico
UninstallDisplayIcon={app}\ittisal-app.exe
UninstallDisplayName=Ittisal {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running Ittisal is asked to close before its files are replaced or removed.
CloseApplications=yes
ShowLanguageDialog=auto

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
#if FileExists(AddBackslash(CompilerPath) + "Languages\Arabic.isl")
Name: "ar"; MessagesFile: "compiler:Languages\Arabic.isl"
#else
  #pragma message "Languages\Arabic.isl is not in this Inno Setup: the installer is in English only"
#endif

[Tasks]
; Checked by default (no "unchecked" flag): most users start the app from the desktop.
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the program's libraries whole: files of the old version that the new
; one no longer has must not stay beside it. Only the install folder; never user data.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\ittisal\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Ittisal"; Filename: "{app}\ittisal-app.exe"; WorkingDir: "{userdocs}"; Comment: "Ittisal"
Name: "{autodesktop}\Ittisal"; Filename: "{app}\ittisal-app.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\ittisal-app.exe"; Description: "{cm:LaunchProgram,Ittisal}"; Flags: nowait postinstall skipifsilent
