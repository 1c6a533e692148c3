#!/bin/sh
# Run inside the trixie root after wixl (which cannot express these): the Russian texts (wixl leaves
# the database code page neutral and drops non-ASCII strings): code page 1251, then the Start-menu
# shortcut's name and description and the downgrade message; on the machine config's
# component, NeverOverwrite (an existing %ProgramData%\desk-app\config.toml is never replaced,
# also on upgrade) besides Permanent (uninstall keeps it); and locked permissions on that folder
# and file by SID, so they hold on a Russian Windows too (Administrators and SYSTEM full control,
# Users read and execute; not inherited from ProgramData, whose Users may create files).
# Usage: patch_msi.sh FILE.msi WORKDIR
set -eu
msi="$1"; work="$2"
mkdir -p "$work"
cd "$work"
msiinfo export "$msi" Component > Component.idt
awk -F'\t' 'BEGIN { OFS = "\t" }
  NR > 3 && $1 == "MachineConfig" { if (int($4 / 128) % 2 == 0) $4 += 128; patched = 1 }
  { print }
  END { if (!patched) { print "patch_msi: no MachineConfig component" > "/dev/stderr"; exit 1 } }' \
  Component.idt > Component.new.idt
mv Component.new.idt Component.idt
printf 'MsiLockPermissionsEx\tLockObject\tTable\tSDDLText\tCondition\n' > MsiLockPermissionsEx.idt
printf 's72\ts72\ts32\ts0\tS255\n' >> MsiLockPermissionsEx.idt
printf 'MsiLockPermissionsEx\tMsiLockPermissionsEx\n' >> MsiLockPermissionsEx.idt
printf 'LockConfigDir\tConfigDir\tCreateFolder\tD:P(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)(A;OICI;FRFX;;;BU)\t\n' >> MsiLockPermissionsEx.idt
printf 'LockConfigFile\tMachineConfigFile\tFile\tD:P(A;;FA;;;BA)(A;;FA;;;SY)(A;;FRFX;;;BU)\t\n' >> MsiLockPermissionsEx.idt
printf '\n\n1251\t_ForceCodepage\n' > _ForceCodepage.idt
msibuild "$msi" -i _ForceCodepage.idt
# libmsi converts the UTF-8 of a query to the database's code page.
LANG=C.UTF-8 msibuild "$msi" -q "UPDATE Shortcut SET Name='Проверка полиса ОМС', Description='Проверка электронного полиса ОМС на регистратуре' WHERE Shortcut='DeskShortcut'"
LANG=C.UTF-8 msibuild "$msi" -q "UPDATE LaunchCondition SET Description='Уже установлена более новая версия desk-app. Чтобы установить эту, сначала удалите новую.' WHERE Condition='NOT WIX_DOWNGRADE_DETECTED'"
msibuild "$msi" -i Component.idt
msibuild "$msi" -i MsiLockPermissionsEx.idt
