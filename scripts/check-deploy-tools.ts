/**
 * `npm run test:deploy` runs this first: it names every command-line tool the deployment tests
 * need that is missing, all at once and each with how to install it, and exits 1 if any is.
 * (The tests themselves fail, never skip, on a missing tool: test/deploy/support/tools.ts.)
 */
import { DEPLOY_TOOLS, type DeployTool, findTool } from '../test/deploy/support/tools.ts';

/** What scripts/container-test.sh needs besides: reported, not required by the deploy tests. */
const CONTAINER_TOOLS = ['podman', 'runc', 'debootstrap'];

const missing = (Object.keys(DEPLOY_TOOLS) as DeployTool[]).filter(
  (tool) => findTool(tool) === null,
);
const missingForContainers = CONTAINER_TOOLS.filter((tool) => findTool(tool) === null);

if (missingForContainers.length > 0) {
  console.info(
    `note: scripts/container-test.sh (not part of test:deploy) would also need ${missingForContainers.join(', ')}: bash scripts/install-deploy-tools.sh`,
  );
}
if (missing.length === 0) {
  console.info(`deploy tools: ${Object.keys(DEPLOY_TOOLS).join(', ')} found`);
} else {
  console.error(`The deployment tests need ${missing.length} tool(s) that are not installed:`);
  for (const tool of missing) console.error(`  - ${tool}: ${DEPLOY_TOOLS[tool]}`);
  console.error('Debian packages for all but kubectl: bash scripts/install-deploy-tools.sh');
  process.exitCode = 1;
}
