import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_KIOSK_SETTINGS, isKioskUrl, kioskQuery, readKioskSettings } from './kiosk-settings.ts';

const params = (query: string) => new URLSearchParams(query);

describe('kiosk settings from the URL', () => {
  afterEach(() => vi.restoreAllMocks());

  it('starts kiosk mode with ?kiosk, unless switched off', () => {
    expect(isKioskUrl(params('?kiosk'))).toBe(true);
    expect(isKioskUrl(params('?kiosk=1&backend=wasm'))).toBe(true);
    expect(isKioskUrl(params('?kiosk=0'))).toBe(false);
    expect(isKioskUrl(params('?backend=wasm'))).toBe(false);
  });

  it('defaults to a 60 s idle reset, liveness off', () => {
    expect(readKioskSettings(params('?kiosk'))).toEqual(DEFAULT_KIOSK_SETTINGS);
    expect(DEFAULT_KIOSK_SETTINGS).toMatchObject({ idleSeconds: 60, liveness: false });
  });

  it('reads idle seconds and liveness, and ignores invalid values with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(readKioskSettings(params('?kiosk&idle=90&liveness'))).toMatchObject({
      idleSeconds: 90,
      liveness: true,
    });
    expect(readKioskSettings(params('?kiosk&idle=2')).idleSeconds).toBe(60);
    expect(readKioskSettings(params('?kiosk&idle=abc&liveness=0'))).toMatchObject({
      idleSeconds: 60,
      liveness: false,
    });
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('round-trips through kioskQuery, keeping a forced backend', () => {
    const settings = { ...DEFAULT_KIOSK_SETTINGS, idleSeconds: 120, liveness: true };
    const query = kioskQuery(settings, params('?backend=wasm&other=x'));
    expect(query).toBe('?kiosk&idle=120&liveness&backend=wasm');
    expect(readKioskSettings(params(query))).toEqual(settings);
    expect(kioskQuery(DEFAULT_KIOSK_SETTINGS)).toBe('?kiosk');
  });
});
