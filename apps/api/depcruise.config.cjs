// Folder layers of apps/api/src, checked by `pnpm lint` (depcruise): no import cycle between files, and no folder
// imports a folder of a layer above it. A feature that needs something of a feature above it gets it through an
// injection token the lower one defines (e.g. sync's RELATED_IMPORTERS, connections' MAPPING_CHANGED_LISTENER).
//
// Lowest first; folders of one layer may import each other (acyclic files still).
const LAYERS = [
  { name: 'foundation', folders: ['config', 'logging', 'common', 'database'] },
  { name: 'platform', folders: ['workspaces', 'users', 'auth', 'queues', 'health'] },
  { name: 'connections', folders: ['connections'] },
  { name: 'suppression', folders: ['suppression'] },
  { name: 'crm-runtime', folders: ['crm-runtime'] },
  { name: 'import', folders: ['sync'] },
  { name: 'records', folders: ['people', 'companies'] },
  { name: 'features', folders: ['crm-lists', 'dnc', 'export', 'workflows', 'maintenance'] },
  { name: 'composed features', folders: ['campaigns', 'activities', 'consent', 'erasure', 'api-usage'] },
];
// The composition root sits above every layer: module wiring, entry points, the entity list, tools.
const ROOT = '^src/(app\\.module|main|worker|bootstrap)\\.ts$|^src/(bench|cli|seed)/|^src/database/(entities|data-source|migrate)\\.ts$';

const folderPath = (folders) => `^src/(${folders.join('|')})/`;

const layerRules = LAYERS.map((layer, i) => ({
  name: `layer-${layer.name}`,
  comment: `${layer.folders.join(', ')} must not import a layer above it (${LAYERS.slice(i + 1).map((l) => l.name).join(', ') || 'none'}) or the composition root`,
  severity: 'error',
  from: { path: folderPath(layer.folders), pathNot: ROOT },
  to: { path: [...LAYERS.slice(i + 1).map((l) => folderPath(l.folders)), ROOT] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Files form no import cycle (a cycle is what await import() and ModuleRef.get(…, { strict: false }) used to dodge)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'layers-cover-src',
      comment: 'Every folder of src has a layer in depcruise.config.cjs',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: [folderPath(LAYERS.flatMap((l) => l.folders)), ROOT] },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
