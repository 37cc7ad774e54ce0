import { clientIp, trustedProxies } from "../../../shared/login-limits";

const proxies = trustedProxies("10.0.0.0/8, 127.0.0.1");

describe("the client IP behind proxies", () => {
  test("when the peer is not a trusted proxy, then its X-Forwarded-For is ignored", () => {
    expect(clientIp("198.51.100.9", "1.2.3.4", proxies)).toBe("198.51.100.9");
  });

  test("when the peer is a trusted proxy, then the right-most address no trusted proxy wrote is the client", () => {
    expect(clientIp("10.1.2.3", "6.6.6.6, 198.51.100.7, 10.0.0.5", proxies)).toBe("198.51.100.7");
    expect(clientIp("::ffff:127.0.0.1", ["198.51.100.8"], proxies)).toBe("198.51.100.8");
  });

  test("when a trusted proxy sends no usable X-Forwarded-For, then the proxy's own address is used", () => {
    expect(clientIp("10.1.2.3", undefined, proxies)).toBe("10.1.2.3");
    expect(clientIp("10.1.2.3", "not-an-ip", proxies)).toBe("10.1.2.3");
  });

  test("when no proxy is trusted, then the peer is the client whatever the header says", () => {
    expect(clientIp("127.0.0.1", "198.51.100.1", trustedProxies(""))).toBe("127.0.0.1");
  });
});
