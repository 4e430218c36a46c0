// The configuration as every command loads it: read and checked (config/load.ts), then its
// repository made reachable (an s3:// one with the configuration's s3 settings).
import { type LoadedConfig, loadConfig } from '../config/load.js';
import { useRepository } from '../storage/index.js';

export async function openConfig(file: string): Promise<LoadedConfig> {
  const config = loadConfig(file);
  await useRepository(config);
  return config;
}
