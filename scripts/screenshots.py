"""Screenshots of the main pages as each persona, for looking at what we build.

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out var/screenshots]
        [--width 1280] [--persona admin] [PATH ...]

Needs the demo running (`make run`) and Chromium (/usr/bin/chromium).
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "walk-alongside-2026"
PAGES = {
    "admin": ["/", "/services/", "/services/kestrel-wing/", "/audit/", "/standards/",
              "/standards/relational-practice-standards/2026.1/",
              "/standards/relational-practice-standards/compare/?old=2025.1&new=2026.1", "/standards/load/"],
    "lead": ["/", "/services/kestrel-wing/"],
    "member": ["/"],
    "reviewer": ["/"],
    "commissioner": ["/"],
    "outsider": ["/"],
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--persona")
    parser.add_argument("paths", nargs="*")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = {options.persona: options.paths} if options.persona and options.paths else PAGES
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": options.width, "height": 900})
        page.goto(f"{options.base}/accounts/sign-in/")
        page.screenshot(path=out / "sign-in.png", full_page=True)
        for persona, paths in pages.items():
            page.context.clear_cookies()
            page.goto(f"{options.base}/accounts/sign-in/")
            page.fill("#id_username", persona)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            for path in paths:
                page.goto(options.base + path)
                name = f"{persona}{path.replace('/', '_').replace('?', '_').replace('&', '_')}".rstrip("_")
                page.screenshot(path=out / f"{name}-{options.width}.png", full_page=True)
                print(out / f"{name}-{options.width}.png")
        browser.close()


if __name__ == "__main__":
    main()
