// A minimal AMD loader: Grafana loads plugin bundles with SystemJS, handing each `define`
// dependency the instance Grafana itself uses. The plugin must not ask for anything else.
type Factory = (...deps: unknown[]) => Record<string, unknown>;

declare global {
  interface Window {
    define?: ((deps: string[], factory: Factory) => void) & { amd?: object };
  }
}

export function loadPluginModule(url: string, shared: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const define = (deps: string[], factory: Factory) => {
      const missing = deps.filter((d) => !(d in shared));
      if (missing.length) reject(new Error(`${url} needs modules Grafana does not share: ${missing.join(', ')}`));
      else resolve(factory(...deps.map((d) => shared[d])));
    };
    window.define = Object.assign(define, { amd: {} });
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.appendChild(script);
  });
}
