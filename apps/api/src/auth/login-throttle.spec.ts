import { describe, expect, it } from '@jest/globals';
import { networkOf } from './login-throttle.service.js';

describe('networkOf', () => {
  it('counts IPv4 addresses one by one (IPv4-mapped IPv6 included)', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(networkOf('::FFFF:10.0.0.1')).toBe('10.0.0.1');
  });

  it('counts IPv6 addresses by their /64, however they are written', () => {
    expect(networkOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:DB8:1:2:0:0:0:abcd')).toBe('2001:db8:1:2::/64');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('::1')).toBe('0:0:0:0::/64');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(networkOf('2001:db8:1:3::1')).not.toBe(networkOf('2001:db8:1:2::1'));
  });

  it('puts unknown or malformed addresses in one bucket', () => {
    expect(networkOf(undefined)).toBe('unknown');
    expect(networkOf('')).toBe('unknown');
    expect(networkOf('not-an-ip')).toBe('unknown');
  });
});
