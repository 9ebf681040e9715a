/**
 * What the worker does between photos on WebGL: bound the two caches tfjs-webgl grows with every new
 * photo size (compiled programs, pooled textures). Both are no-ops on other backends.
 */
import { trimWebglPrograms } from './webgl-programs.ts';
import { trimWebglTextures } from './webgl-textures.ts';

export function trimWebglCaches(): void {
  trimWebglPrograms();
  trimWebglTextures();
}
