// The demo machines' behaviour as pure functions of simulated time: what the simulator publishes.

/** Deterministic noise so a demo run looks alive and tests stay repeatable. */
export function noise(seed: number, t: number): number {
  const x = Math.sin(seed * 12.9898 + t * 78.233) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

/**
 * After a minute the P-101 bearing starts to overheat: a slow drift, +0.15 °C per second (9 °C/min) up to a
 * 92 °C plateau. Slow enough that the trend predicts the 80 °C crossing minutes ahead (a preventive work
 * order about 40 s into the drift), fast enough that the threshold alarm follows at about 4 minutes 20.
 */
export function pump(t: number): Record<string, number> {
  const drift = Math.min(37, Math.max(0, (t - 60) * 0.15));
  return {
    vibration: round(2.1 + 0.15 * noise(1, t) + drift * 0.02),
    bearing_temp: round(55 + drift + 0.4 * noise(2, t)),
    motor_current: round(42 + 0.8 * noise(3, t) + drift * 0.05),
  };
}

/** The chiller follows a slow load cycle; it stays healthy. */
export function chiller(t: number): Record<string, number> {
  const load = 0.5 + 0.3 * Math.sin((2 * Math.PI * t) / 1800);
  return {
    supply_temp: round(7 + 1.5 * load + 0.1 * noise(4, t)),
    return_temp: round(12 + 2 * load + 0.1 * noise(5, t)),
    compressor_current: round(120 + 80 * load + 2 * noise(6, t)),
  };
}

/** The compressor loads and unloads on a 2-minute cycle; pressure saws between 7 and 8 bar. */
export function compressor(t: number): Record<string, number> {
  const phase = (t % 120) / 120;
  const loaded = phase < 0.6;
  return {
    discharge_pressure: round(loaded ? 7 + phase / 0.6 : 8 - (phase - 0.6) / 0.4),
    discharge_temp: round(82 + (loaded ? 6 : 0) + 0.5 * noise(7, t)),
    motor_current: round((loaded ? 95 : 35) + 1.5 * noise(8, t)),
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
