// An in-memory store for the example: orders and user sessions. It stands in for a database,
// including a ping() for the health check.
import { randomBytes } from 'node:crypto';

export function createStore() {
  const orders = new Map();
  const sessions = new Map();
  let nextId = 1001;

  return {
    listOrders: (ownerId) => [...orders.values()].filter((order) => order.ownerId === ownerId),
    getOrder: (id) => orders.get(id),
    createOrder(ownerId, { item, quantity = 1, price = 0 }) {
      const order = {
        id: String(nextId++),
        ownerId,
        item,
        quantity,
        price,
        createdAt: new Date().toISOString(),
      };
      orders.set(order.id, order);
      return order;
    },
    updateOrder(id, changes) {
      const order = orders.get(id);
      if (order === undefined) return undefined;
      const updated = { ...order, ...changes, id: order.id, ownerId: order.ownerId };
      orders.set(id, updated);
      return updated;
    },
    deleteOrder(id) {
      const order = orders.get(id);
      orders.delete(id);
      return order;
    },
    openSession(userId) {
      const token = randomBytes(24).toString('base64url');
      sessions.set(token, userId);
      return token;
    },
    userForToken: (token) => sessions.get(token),
    closeSession: (token) => sessions.delete(token),
    // The health check's "database ping".
    ping: async () => orders.size >= 0,
  };
}
