// edgecore: the edge half of KubeEdge-TS. Its modules (edgehub, metamanager, edged, eventbus,
// devicetwin) arrive with issues 3–5; until then it says so plainly instead of pretending to run.
export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('edgecore [--config FILE] [--data-dir DIR] [--node-name NAME] [--cloudhub HOST:PORT] ...\n');
    return;
  }
  process.stderr.write('edgecore: not available in this release yet (the cloud–edge link is the next milestone)\n');
  process.exit(2);
}
