// Writes the seqlab.training.* settings of package.json and their descriptions in package.nls.json from the options table (src/shared/options.ts).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

mkdirSync('out', { recursive: true });
await esbuild.build({ entryPoints: ['src/shared/options.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: 'out/options.cjs', logLevel: 'warning' });
const { TRAIN_OPTIONS, settingKey, settingSchema } = createRequire(import.meta.url)('../out/options.cjs');

const names = Object.keys(TRAIN_OPTIONS).filter((name) => TRAIN_OPTIONS[name].place !== 'run');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8'));
const isGenerated = (key) => key.startsWith('seqlab.training.') || key === 'seqlab.backend';

const properties = {};
for (const name of names) properties[settingKey(name)] = settingSchema(name);
for (const [key, value] of Object.entries(pkg.contributes.configuration.properties)) if (!isGenerated(key)) properties[key] = value;
pkg.contributes.configuration.properties = properties;

const descriptions = Object.fromEntries(Object.entries(nls).filter(([key]) => !isGenerated(key.replace('seqlab.config.', 'seqlab.'))));
for (const name of names)
  descriptions[settingKey(name).replace('seqlab.', 'seqlab.config.')] = TRAIN_OPTIONS[name].doc.replace(/`(seqlab\.[A-Za-z.]+)`/g, '`#$1#`');

writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');
writeFileSync('package.nls.json', JSON.stringify(descriptions, null, 2) + '\n');
console.log(`${names.length} training settings written to package.json and package.nls.json`);
