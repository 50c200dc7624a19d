import { describeMatrix } from "./checkout-matrix.fixtures";

describeMatrix("stock_gone");
