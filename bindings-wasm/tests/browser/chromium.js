// Debian's Chromium for playwright-core (shared/TOOLCHAIN.md: `npx
// playwright install` cannot work here), headless, no network of its own.
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
