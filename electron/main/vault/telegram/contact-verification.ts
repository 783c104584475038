/**
 * Proving a phone number or e-mail for the Passport (Telegram keeps these two in the clear, and only
 * once proven by code). The code hash and the address being proven stay here, in main; the renderer
 * sends only what the person typed. A confirmed code saves the value through the vault, so the
 * Passport holds exactly what Telegram verified.
 */
import { AppError } from '../../../common/errors';
import { cancelCode, resendCode, type SentCodeInfo } from '../../telegram/auth';
import type { TelegramConnection } from '../../telegram/connection';
import { sendVerifyEmailCode, sendVerifyPhoneCode, verifyEmail, verifyPhone } from '../../telegram/passport-api';
import { Email, PhoneNumber } from '../../../common/passport';

export interface VerificationDeps {
  /** The signed-in account's connection (NOT_SIGNED_IN otherwise). */
  connection(): Promise<TelegramConnection>;
  /** The account's own phone, when known. */
  accountPhone(): string | null;
  /** Saves the proven value into the Passport. */
  save(input: { type: 'phone_number'; plain: string } | { type: 'email'; plain: string }): Promise<{ type: 'phone_number' | 'email'; status: 'saved' | 'queued' }>;
}

const digits = (phone: string): string => phone.replace(/\D/g, '');

export class ContactVerification {
  private phone: { number: string; info: SentCodeInfo } | null = null;
  private email: string | null = null;

  constructor(private readonly deps: VerificationDeps) {}

  async sendPhoneCode(phone: string): Promise<SentCodeInfo> {
    const number = digits(phone);
    if (!PhoneNumber.safeParse(number).success) throw new AppError('PHONE_NUMBER_INVALID', 'Enter the number with its country code, digits only.');
    const info = await sendVerifyPhoneCode(await this.deps.connection(), number);
    this.phone = { number, info };
    return info;
  }

  private pendingPhone(): { number: string; info: SentCodeInfo } {
    if (this.phone === null) throw new AppError('BAD_INPUT', 'Ask for a code first.');
    return this.phone;
  }

  async resendPhoneCode(): Promise<SentCodeInfo> {
    const p = this.pendingPhone();
    const info = await resendCode(await this.deps.connection(), p.number, p.info.phoneCodeHash);
    this.phone = { number: p.number, info };
    return info;
  }

  async cancelPhoneCode(): Promise<void> {
    const p = this.phone;
    this.phone = null;
    if (p !== null) await cancelCode(await this.deps.connection(), p.number, p.info.phoneCodeHash);
  }

  async confirmPhone(code: string): Promise<{ type: 'phone_number' | 'email'; status: 'saved' | 'queued' }> {
    const p = this.pendingPhone();
    await verifyPhone(await this.deps.connection(), p.number, p.info.phoneCodeHash, code);
    this.phone = null;
    return this.deps.save({ type: 'phone_number', plain: p.number });
  }

  /** "Use my Telegram phone": the account's number needs no code. */
  async useAccountPhone(): Promise<{ type: 'phone_number' | 'email'; status: 'saved' | 'queued' }> {
    await this.deps.connection();
    const phone = this.deps.accountPhone();
    if (phone === null || phone === '') throw new AppError('BAD_INPUT', 'Your Telegram phone number is not known yet: connect to Telegram first.');
    return this.deps.save({ type: 'phone_number', plain: digits(phone) });
  }

  async sendEmailCode(email: string): Promise<{ emailPattern: string; length: number }> {
    const address = email.trim();
    if (!Email.safeParse(address).success) throw new AppError('EMAIL_INVALID', 'This does not look like an e-mail address.');
    const r = await sendVerifyEmailCode(await this.deps.connection(), address);
    this.email = address;
    return r;
  }

  async confirmEmail(code: string): Promise<{ type: 'phone_number' | 'email'; status: 'saved' | 'queued' }> {
    if (this.email === null) throw new AppError('BAD_INPUT', 'Ask for a code first.');
    const verified = await verifyEmail(await this.deps.connection(), code);
    this.email = null;
    return this.deps.save({ type: 'email', plain: verified });
  }

  /** Forget pending steps (sign-out, lock). */
  reset(): void {
    this.phone = null;
    this.email = null;
  }
}
