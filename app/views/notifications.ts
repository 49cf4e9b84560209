/** A notification as the list shows it: view type shared by the service and the component. */

export interface NotificationView {
  id: number;
  kind: string;
  bookingId: number | null;
  params: Record<string, string | number>;
  machine: string | null;
  start: number | null;
  end: number | null;
  read: boolean;
  createdAt: number;
}
