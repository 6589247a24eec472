/** The inventory read model behind `warden inventory`, the reports and the API. */
export {
  buildInventory,
  type Inventory,
  type AgentView,
  type IdentityView,
  type OwnerView,
  type InventoryOptions,
} from './inventory-service.js';
