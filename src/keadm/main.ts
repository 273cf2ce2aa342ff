// keadm: installs and joins nodes (init, gettoken, join, reset). The commands arrive with the
// cloud–edge link issue; until then it says so plainly.
export async function main(argv: string[]): Promise<void> {
  const cmd = argv[0];
  if (!cmd || cmd === '--help' || cmd === '-h') {
    process.stdout.write('keadm <gettoken|join|reset> [flags]\n');
    return;
  }
  process.stderr.write(`keadm: "${cmd}" is not available in this release yet (the cloud–edge link is the next milestone)\n`);
  process.exit(2);
}
