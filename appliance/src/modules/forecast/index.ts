// Forecast's one door: trend-to-threshold rules turned into preventive alarms.
export { createForecasts, type Forecasts } from './forecast-watch.ts';
