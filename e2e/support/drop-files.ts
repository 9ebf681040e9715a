/**
 * Drops files from disk on an element as a person would: a real `drop` event whose DataTransfer
 * holds the files, handled by the app's own drop code (src/io/browser-files.ts). Playwright has no
 * file drop, so the files reach the page through a throwaway file input (by path, so large files are
 * not copied through the test protocol) and are moved into a DataTransfer there.
 */
import type { Locator, Page } from '@playwright/test';

export async function dropFiles(page: Page, target: Locator, paths: readonly string[]): Promise<void> {
  const input = await page.evaluateHandle(() => {
    const element = document.createElement('input');
    element.type = 'file';
    element.multiple = true;
    element.hidden = true;
    document.body.append(element);
    return element;
  });
  await input.setInputFiles([...paths]);
  const dataTransfer = await page.evaluateHandle((element) => {
    const transfer = new DataTransfer();
    for (const file of Array.from(element.files ?? [])) transfer.items.add(file);
    element.remove();
    return transfer;
  }, input);
  await input.dispose();
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}
