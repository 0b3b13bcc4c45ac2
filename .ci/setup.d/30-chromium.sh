# Chromium and ChromeDriver (Debian packages) for the browser test of `nl-ner render`
# (tests/integration/render_browser.rs drives Chromium through ChromeDriver's WebDriver API).
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium chromium-driver >/dev/null
fi
chromium --version 2>/dev/null | head -1
