import * as assert from 'node:assert/strict';
import { findDestructive } from '../../../src/playbook/destructive';

describe('destructive command detection', () => {
  const destructive = [
    'rm -rf /var/cache/app',
    'redis-cli FLUSHDB',
    'redis-cli flushall',
    'psql -c "DROP TABLE users"',
    'psql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"',
    'pkill -f dotnet',
    'kill -9 1234',
    'sudo ufw deny 5002',
    'docker volume prune -f',
    'docker-compose restart',
    'docker compose down',
    'kubectl delete pod api-0',
    'kubectl -n prod rollout undo deployment/api',
    'kubectl scale deploy/api --replicas=0',
    'git revert HEAD',
    'git push origin main --force',
    'systemctl restart nginx',
    'TRUNCATE TABLE events',
    'DELETE FROM sessions WHERE 1=1',
    'dd if=/dev/zero of=/dev/sda',
    'sudo reboot',
  ];
  for (const command of destructive) {
    it(`flags \`${command}\``, () => assert.ok(findDestructive(command).length > 0));
  }

  const harmless = [
    'rmdir empty',
    'curl -s http://localhost:5002/health | jq .status',
    'kubectl get pods',
    'docker-compose ps',
    'git log --oneline',
    'systemctl status nginx',
    'grep -i "drop" logs/app.log',
    'kubectl rollout status deploy/api',
    'ps aux | grep dotnet',
    'echo "select 1"',
  ];
  for (const command of harmless) {
    it(`leaves \`${command}\` alone`, () => assert.deepEqual(findDestructive(command), []));
  }

  it('ignores comments but not quoted hashes', () => {
    assert.deepEqual(findDestructive('# rm -rf / would be bad'), []);
    assert.equal(findDestructive('echo "#"; rm -rf build').length, 1);
  });

  it('reports offsets within the whole command', () => {
    const command = 'echo start\nredis-cli FLUSHDB';
    const [m] = findDestructive(command);
    assert.equal(command.slice(m.start, m.end), 'FLUSHDB');
  });
});
