#!/usr/bin/env bash
# Prepares code signing for one platform of the release from the repository's secrets
# (passed in as environment variables), and writes a Tauri configuration fragment to
# the file named by $1 that the app build merges (`tauri build --config FILE`).
# Without the secrets the build goes on unsigned, with a warning in the run's summary.
#
#   macos:   APPLE_CERTIFICATE (base64 .p12), APPLE_CERTIFICATE_PASSWORD,
#            APPLE_SIGNING_IDENTITY; notarization: APPLE_ID, APPLE_PASSWORD (an app
#            password), APPLE_TEAM_ID. The Tauri build reads these itself.
#   windows: WINDOWS_CERTIFICATE (base64 .pfx) and WINDOWS_CERTIFICATE_PASSWORD, or
#            Azure Trusted Signing: AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_TENANT_ID,
#            TRUSTED_SIGNING_ENDPOINT, TRUSTED_SIGNING_ACCOUNT, TRUSTED_SIGNING_PROFILE.
#   linux:   nothing is signed (the .deb and AppImage carry checksums in SHA256SUMS.txt).
set -euo pipefail
platform=${PLATFORM:?set PLATFORM to linux, windows or macos}
fragment=${1:?usage: signing.sh FRAGMENT.json}
warn() { echo "::warning title=Unsigned build::$*"; }
echo '{}' >"$fragment"
signed=false

case "$platform" in
  macos)
    if [ -n "${APPLE_CERTIFICATE:-}" ] && [ -n "${APPLE_SIGNING_IDENTITY:-}" ]; then
      signed=true
      # A keychain of this run's own, so the standalone program can be signed and checked later.
      keychain=$RUNNER_TEMP/release-signing.keychain-db
      password=$(openssl rand -base64 24)
      echo "$APPLE_CERTIFICATE" | base64 --decode >"$RUNNER_TEMP/certificate.p12"
      security create-keychain -p "$password" "$keychain"
      security set-keychain-settings -lut 3600 "$keychain"
      security unlock-keychain -p "$password" "$keychain"
      security import "$RUNNER_TEMP/certificate.p12" -k "$keychain" -P "${APPLE_CERTIFICATE_PASSWORD:-}" -T /usr/bin/codesign
      security set-key-partition-list -S apple-tool:,apple:,codesign: -s -k "$password" "$keychain" >/dev/null
      security list-keychains -d user -s "$keychain" $(security list-keychains -d user | tr -d '"')
      rm -f "$RUNNER_TEMP/certificate.p12"
      if [ -z "${APPLE_ID:-}" ] || [ -z "${APPLE_PASSWORD:-}" ] || [ -z "${APPLE_TEAM_ID:-}" ]; then
        warn "macOS: signed, but not notarized (APPLE_ID, APPLE_PASSWORD and APPLE_TEAM_ID are not all set): Gatekeeper will warn users."
      fi
    else
      warn "macOS: APPLE_CERTIFICATE / APPLE_SIGNING_IDENTITY are not set: the app and novabackup-mcp are not signed or notarized, and the keychain will ask users for permission."
    fi
    ;;
  windows)
    if [ -n "${WINDOWS_CERTIFICATE:-}" ]; then
      signed=true
      echo "$WINDOWS_CERTIFICATE" | base64 --decode >"$RUNNER_TEMP/certificate.pfx"
      thumbprint=$(powershell -NoProfile -Command "\$p = ConvertTo-SecureString -String \$env:WINDOWS_CERTIFICATE_PASSWORD -Force -AsPlainText; (Import-PfxCertificate -FilePath '$RUNNER_TEMP/certificate.pfx' -CertStoreLocation Cert:\\CurrentUser\\My -Password \$p).Thumbprint" | tr -d '\r')
      rm -f "$RUNNER_TEMP/certificate.pfx"
      printf '{"bundle":{"windows":{"certificateThumbprint":"%s","digestAlgorithm":"sha256","timestampUrl":"http://timestamp.digicert.com"}}}\n' "$thumbprint" >"$fragment"
      echo "WINDOWS_CERTIFICATE_THUMBPRINT=$thumbprint" >>"$GITHUB_ENV"
    elif [ -n "${TRUSTED_SIGNING_ACCOUNT:-}" ] && [ -n "${AZURE_CLIENT_ID:-}" ]; then
      signed=true
      cargo install trusted-signing-cli --locked
      printf '{"bundle":{"windows":{"signCommand":"trusted-signing-cli -e %s -a %s -c %s -d NovaBACKUP %%1"}}}\n' \
        "$TRUSTED_SIGNING_ENDPOINT" "$TRUSTED_SIGNING_ACCOUNT" "$TRUSTED_SIGNING_PROFILE" >"$fragment"
    else
      warn "Windows: neither WINDOWS_CERTIFICATE nor Azure Trusted Signing secrets are set: the .msi and novabackup-mcp.exe are not signed, and SmartScreen will warn users."
    fi
    ;;
  linux) ;;
  *) echo "signing.sh: the platform is linux, windows or macos, not $platform" >&2; exit 2 ;;
esac
echo "signed=$signed" >>"${GITHUB_OUTPUT:-/dev/null}"
cat "$fragment"
