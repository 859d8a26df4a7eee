import { describe, expect, it } from 'vitest';
import { agentHostCheck } from './agent-hosts.ts';

describe('the Host headers an agent answers', () => {
  const answersTo = agentHostCheck({ bindHost: '127.0.0.1', port: 8080, allowedHosts: ['penguins-predictor.default.svc.cluster.local', 'Models.Example.com', '::1'] });

  it('answers its own address only with its own port', () => {
    expect(answersTo('127.0.0.1:8080')).toBe(true);
    expect(answersTo('localhost:8080')).toBe(true);
    expect(answersTo('127.0.0.1')).toBe(false);
    expect(answersTo('localhost:9090')).toBe(false);
  });

  it('answers an --allow-host name with any port or none, as a Kubernetes Service or a proxy forwards it', () => {
    expect(answersTo('penguins-predictor.default.svc.cluster.local')).toBe(true);
    expect(answersTo('penguins-predictor.default.svc.cluster.local:80')).toBe(true);
    expect(answersTo('MODELS.example.com:443')).toBe(true);
    expect(answersTo('[::1]')).toBe(true);
  });

  it('refuses other names, look-alikes and malformed headers', () => {
    expect(answersTo(undefined)).toBe(false);
    expect(answersTo('')).toBe(false);
    expect(answersTo('evil.example')).toBe(false);
    expect(answersTo('models.example.com.evil.example')).toBe(false);
    expect(answersTo('models.example.com:443:1')).toBe(false);
    expect(answersTo('user@models.example.com')).toBe(false);
  });
});
