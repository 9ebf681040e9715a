/** Debian's Chromium, headless, launched as the e2e suite launches it (playwright.config.ts). */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = () => existsSync(CHROMIUM_PATH);

/**
 * The e2e suite's flags (playwright.config.ts keeps them private): no calling home on this closed
 * network, and SwiftShader for WebGL2 without a GPU — i.e. WebGL emulated on the CPU.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
