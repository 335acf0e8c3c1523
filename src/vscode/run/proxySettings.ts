// VS Code's proxy settings for HTTP steps and webhooks: `http.proxy`, `http.noProxy`, `http.proxyStrictSSL` and
// `http.proxyAuthorization`, read at each request so a change applies at once; the environment's variables too.
import * as vscode from 'vscode';
import { planProxy, type ProxyPlan } from '../../run/proxy';

/** The route the editor's requests take now. With `http.proxySupport: off` VS Code's settings are left out. */
export function editorProxy(): ProxyPlan {
  const http = vscode.workspace.getConfiguration('http');
  const useSettings = http.get<string>('proxySupport') !== 'off';
  const noProxy = http.get<unknown>('noProxy');
  return planProxy({
    proxy: useSettings ? http.get<string>('proxy') || undefined : undefined,
    noProxy: useSettings && Array.isArray(noProxy) ? noProxy.filter((h): h is string => typeof h === 'string') : [],
    strictSSL: http.get<boolean>('proxyStrictSSL', true),
    proxyAuthorization: useSettings ? (http.get<string | null>('proxyAuthorization') ?? undefined) : undefined,
    env: process.env,
  });
}
