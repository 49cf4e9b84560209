import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { AppShell } from "~/components/AppShell";
import { I18nProvider, useT } from "~/i18n/react";
import { loadRootData } from "~/services/root.server";
import { useNonce } from "~/utils/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/app.css" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/manifest.webmanifest" },
];

export const meta: MetaFunction = () => [{ title: "Giliran" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return loadRootData(request);
}

export type RootData = Awaited<ReturnType<typeof loadRootData>>;

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const lang = data?.lang ?? "id";
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#1d4e89" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider lang={lang} timeZone={data?.facility.timeZone ?? "Asia/Jakarta"}>
          {children}
        </I18nProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <AppShell user={data.user} facilityName={data.facility.name} unread={data.unread}>
      <Outlet />
    </AppShell>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <AppShell user={data?.user ?? null} facilityName={data?.facility.name ?? "Giliran"} unread={data?.unread ?? 0}>
      <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />
    </AppShell>
  );
}

export function ErrorPage({ status }: { status: number }) {
  const t = useT();
  const [title, body] =
    status === 404
      ? [t("error.notFound.title"), t("error.notFound.body")]
      : status === 403
        ? [t("error.forbidden.title"), t("error.forbidden.body")]
        : status === 400
          ? [t("error.badRequest.title"), t("error.body")]
          : [t("error.title"), t("error.body")];
  return (
    <section className="card error-page" aria-live="polite">
      <p className="error-code">{status}</p>
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <a className="button" href="/">
          {t("error.home")}
        </a>
      </p>
    </section>
  );
}
