// Fix verification on the work-order page.
export const verify = {
  en: {
    'verify.title': 'Fix verification',
    'verify.noBand': 'alarm must not return, readings must keep arriving',
    'verify.window': '{from} → {to}',
    'verify.state.watching': 'Watching live data',
    'verify.state.verified': 'Verified',
    'verify.state.failed': 'Not verified: reopened',
    'verify.reason.out_of_band': 'a reading left the normal band',
    'verify.reason.alarm_again': 'the alarm came back',
    'verify.reason.no_data': 'too few readings to tell',
  },
  'zh-CN': {
    'verify.title': '修复验证',
    'verify.noBand': '告警不得再次出现，数据须持续上报',
    'verify.window': '{from} → {to}',
    'verify.state.watching': '正在观察实时数据',
    'verify.state.verified': '已验证',
    'verify.state.failed': '未通过：已重新派回',
    'verify.reason.out_of_band': '读数超出正常范围',
    'verify.reason.alarm_again': '告警再次出现',
    'verify.reason.no_data': '读数太少，无法判断',
  },
};
