import { describeMatrix } from "./checkout.matrix";

describeMatrix("stock_gone");
