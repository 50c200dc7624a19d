import { createRouter } from "../../platform/openapi";
import * as adminHandlers from "./catalog.admin.handlers";
import * as adminRoutes from "./catalog.admin.routes";
import { catalogReadCache } from "./catalog.cache";
import * as handlers from "./catalog.handlers";
import * as routes from "./catalog.routes";

const router = createRouter();
// Hono's "/v1/products/*" also matches "/v1/products": one registration, or the cache runs twice
router.use("/v1/products/*", catalogReadCache);
router.use("/v1/categories", catalogReadCache);

export const catalogRouter = router
  .openapi(routes.listProducts, handlers.listProducts)
  .openapi(routes.getProduct, handlers.getProduct)
  .openapi(routes.listCategories, handlers.listCategories)
  .openapi(adminRoutes.createProduct, adminHandlers.createProduct)
  .openapi(adminRoutes.updateProduct, adminHandlers.updateProduct)
  .openapi(adminRoutes.putVariant, adminHandlers.putVariant)
  .openapi(adminRoutes.createCategory, adminHandlers.createCategory)
  .openapi(adminRoutes.listProducts, adminHandlers.listProducts)
  .openapi(adminRoutes.updateCategory, adminHandlers.updateCategory)
  .openapi(adminRoutes.deleteCategory, adminHandlers.deleteCategory);
