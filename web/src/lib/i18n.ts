import i18n from "i18next";
import { initReactI18next } from "react-i18next";

/** Chinese first; English is a switch. Keys are the Chinese UI wording's English gloss. */
const zh = {
  appName: "明白",
  appFull: "张家口市财政局干部管理平台",
  nav: {
    me: "我的主页",
    square: "日志广场",
    write: "写日志",
    compare: "县区对比",
    orgs: "单位与处室",
    staff: "干部信息",
    attendance: "考勤",
    plans: "计划",
    assessment: "考核",
    reminders: "我的提醒",
    info: "信息与宣传",
    notices: "通知公告",
    documents: "公文",
    flows: "公文流程",
    admin: "系统管理",
    reminderSettings: "提醒设置",
    sms: "短信记录",
    users: "用户与角色",
    policies: "日志制度",
    audit: "审计日志",
    deadLetters: "死信队列",
  },
  common: {
    logout: "退出登录",
    language: "English",
    loading: "加载中…",
    retry: "重试",
    loadMore: "加载更多",
    noMore: "没有更多了",
    search: "搜索",
    reset: "重置",
    print: "打印",
    export: "导出",
    import: "导入",
    save: "保存",
    cancel: "取消",
  },
  bell: { title: "通知", empty: "暂无通知", markAll: "全部标为已读", live: "新通知会实时出现在这里" },
};

const en: typeof zh = {
  appName: "Mingbai",
  appFull: "Zhangjiakou Finance Bureau staff platform",
  nav: {
    me: "My page",
    square: "Log square",
    write: "Write a log",
    compare: "County comparison",
    orgs: "Organisations",
    staff: "Staff directory",
    attendance: "Attendance",
    plans: "Plans",
    assessment: "Assessment",
    reminders: "My reminders",
    info: "Reports & publicity",
    notices: "Notices",
    documents: "Documents",
    flows: "Document flows",
    admin: "Administration",
    reminderSettings: "Reminder settings",
    sms: "SMS log",
    users: "Users and roles",
    policies: "Log policies",
    audit: "Audit log",
    deadLetters: "Dead letters",
  },
  common: {
    logout: "Sign out",
    language: "中文",
    loading: "Loading…",
    retry: "Retry",
    loadMore: "Load more",
    noMore: "No more",
    search: "Search",
    reset: "Reset",
    print: "Print",
    export: "Export",
    import: "Import",
    save: "Save",
    cancel: "Cancel",
  },
  bell: {
    title: "Notifications",
    empty: "No notifications",
    markAll: "Mark all read",
    live: "New notifications appear here live",
  },
};

export const LANG_KEY = "mingbai.lang";

void i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zh }, en: { translation: en } },
  lng: localStorage.getItem(LANG_KEY) ?? "zh-CN",
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false },
});

export default i18n;
