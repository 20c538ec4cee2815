// Devices' one door: the in-memory site model backed by SQLite.
export { createRegistry, type Registry, type Device, type DeviceEntry, type Site, type Zone, type Asset, type NewDevice } from './registry.ts';
