import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { useTranslation } from "react-i18next";
import { BrowserRouter } from "react-router";
import { ApiError } from "./lib/api";
import "./lib/i18n";
import { AppRoutes } from "./routes";
import "./styles.css";

dayjs.locale("zh-cn");

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Permission and validation failures will not get better by asking again.
      retry: (n, err) => n < 2 && !(err instanceof ApiError && err.status < 500),
    },
  },
});

function Root() {
  const { i18n } = useTranslation();
  const [lang, setLang] = useState(i18n.language);
  useEffect(() => {
    const on = (l: string) => {
      setLang(l);
      dayjs.locale(l === "en" ? "en" : "zh-cn");
      document.documentElement.lang = l;
    };
    i18n.on("languageChanged", on);
    return () => i18n.off("languageChanged", on);
  }, [i18n]);
  return (
    <ConfigProvider
      locale={lang === "en" ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: "#1f4e8c",
          borderRadius: 4,
          fontFamily:
            '-apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif',
        },
        components: { Table: { cellPaddingBlockSM: 6 } },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
