/** Debian's Chromium, headless, with the flags the e2e suite (playwright.config.ts) uses too. */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = () => existsSync(CHROMIUM_PATH);

/**
 * The flags of every headless Chromium here (the e2e suite, the benchmark, the screenshot): no
 * calling home on this closed network, and SwiftShader for WebGL2 without a GPU — i.e. WebGL
 * emulated on the CPU.
 */
export const CHROMIUM_ARGS = [
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
