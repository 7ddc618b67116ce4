/**
 * The layer rule of src/ (docs/architecture.md): a folder may import only from its own tier
 * and the tiers below it, and no file imports itself back through others. `npm run lint`
 * runs this; test/unit/layers.test.ts shows that it fails on an upward import and a cycle.
 */

/**
 * Top to bottom. Each entry is one tier: a folder, or folders of equal rank. To add a tier,
 * insert it at its place here; the rules below are made from this list.
 */
const TIERS = [
  'cli',
  'app',
  'scenario',
  'console',
  'merge',
  'results',
  'gate',
  'run',
  'workload',
  'client',
  'target',
  // Measurement blocks (put, lag): what each measures, declared once; on top of measure/.
  'blocks',
  'measure',
  'model',
  'config',
  ['errors', 'runtime'],
];

const tiers = TIERS.map((tier) => [tier].flat());
const folders = (list) => `^src/(${list.flat().join('|')})/`;

/** One rule per tier that has tiers above it: nothing may be imported from those. */
const layerRules = tiers.slice(1).map((tier, index) => ({
  name: `layer-${tier.join('-')}`,
  comment: `src/${tier.join('/, src/')}/ may not import from the tiers above it: ${tiers
    .slice(0, index + 1)
    .flat()
    .join(', ')} (see docs/architecture.md)`,
  severity: 'error',
  from: { path: folders(tier) },
  to: { path: folders(tiers.slice(0, index + 1)) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'A file may not depend on itself through other files: a cycle ties its files into one unit.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-outside-tiers',
      comment: 'Every folder of src/ has a place in the tiers above: add a new folder to TIERS.',
      severity: 'error',
      from: { path: '^src/', pathNot: folders(tiers) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    // Type-only imports count: a type from a higher tier ties the layers together as well.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
