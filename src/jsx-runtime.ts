// The automatic JSX runtime on top of createElement, aliased in place of `react/jsx-runtime` by the
// build. Grafana shares `react` with plugins in every version, but `react/jsx-runtime` only from 12.3
// (and a few backports), while a bundled copy of React 18's runtime reads internals that React 19
// (Grafana 13) removed. createElement is the one API that works on all of them.
import { createElement, Fragment, type ElementType, type Key, type ReactElement } from 'react';

export { Fragment };

export function jsx(type: ElementType, props: Record<string, unknown>, key?: Key): ReactElement {
  return createElement(type, key === undefined ? props : { ...props, key });
}

export const jsxs = jsx;
