import { describe, expect, it } from 'vitest';
import { checkAddress, classify } from './webhook-address.ts';

describe('webhook addresses', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'multicast'],
    ['ff02::1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['not an address', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classify(address)).toBe(kind);
  });

  it('refuses private addresses unless allowed, and the metadata service always', () => {
    expect(checkAddress('192.168.1.5', false)).toEqual({ allowed: false, reason: expect.stringContaining('--allow-private') });
    expect(checkAddress('192.168.1.5', true)).toEqual({ allowed: true, reason: null });
    expect(checkAddress('127.0.0.1', true).allowed).toBe(true);
    expect(checkAddress('169.254.169.254', true)).toEqual({ allowed: false, reason: expect.stringContaining('cloud metadata') });
    expect(checkAddress('0.0.0.0', true).allowed).toBe(false);
    expect(checkAddress('ff02::1', true).allowed).toBe(false);
    expect(checkAddress('8.8.8.8', false)).toEqual({ allowed: true, reason: null });
  });
});
